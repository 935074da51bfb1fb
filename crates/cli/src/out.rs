//! Writing to standard output and standard error without panicking.
//!
//! `println!` panics (exit 101) when stdout is a closed pipe (`posyandu … | head -1`) or a
//! full disk (`>/dev/full`). Every line the commands print goes through [`say!`] instead:
//! the error travels up as an `io::Error`, `main` ends quietly on a broken pipe (as Unix
//! tools do) and prints one clear message for any other failure. Messages for stderr go
//! through [`complain!`]; a failure there cannot be reported on stderr, so it is remembered and
//! turns the exit status non-zero.

use std::fmt;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

static STDERR_FAILED: AtomicBool = AtomicBool::new(false);

/// Prints one line on stdout; `?` it so a closed or full stdout stops the command.
macro_rules! say {
    ($($t:tt)*) => { $crate::out::line(format_args!($($t)*)) };
}

/// Prints one line on stderr; a failure is remembered for the exit status.
macro_rules! complain {
    ($($t:tt)*) => { $crate::out::warn_line(format_args!($($t)*)) };
}

pub(crate) use {complain, say};

/// Writes `args` and a newline to stdout, naming stdout in the error (the kind is kept, so
/// a broken pipe stays recognisable).
pub fn line(args: fmt::Arguments<'_>) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_fmt(args)
        .and_then(|()| out.write_all(b"\n"))
        .map_err(stdout_error)
}

/// Adds "stdout" to an error from writing standard output.
pub fn stdout_error(e: io::Error) -> io::Error {
    if e.kind() == io::ErrorKind::BrokenPipe {
        return e;
    }
    io::Error::new(
        e.kind(),
        format!("tidak bisa menulis ke keluaran standar (stdout): {e}"),
    )
}

/// Writes `args` and a newline to stderr; never fails, but a failure is remembered.
pub fn warn_line(args: fmt::Arguments<'_>) {
    let mut err = io::stderr().lock();
    if err
        .write_fmt(args)
        .and_then(|()| err.write_all(b"\n"))
        .is_err()
    {
        STDERR_FAILED.store(true, Ordering::Relaxed);
    }
}

/// Whether some message could not be written to stderr.
pub fn stderr_failed() -> bool {
    STDERR_FAILED.load(Ordering::Relaxed)
}

/// Whether `e` (or any of its causes) is a write to a closed pipe.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}
