//! Where `zscore` writes: a file replaced only once every row is written, a device or pipe
//! written directly, or stdout — each write error naming its destination.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;

use indicatif::ProgressBar;

use super::{Lang, convert_named, messages, sync_ahead};
use crate::safe_file::{Guard, OutputFile};

/// Writes the z-score CSV of `input` to `dest` through a temporary file that replaces
/// `dest` only once every row is written (see [`crate::safe_file`]); returns the rows.
pub fn write_file(
    input: impl Read,
    dest: &Path,
    guard: &Guard,
    raw: bool,
    lang: Lang,
    progress: Option<&ProgressBar>,
) -> anyhow::Result<u64> {
    let file = OutputFile::create(dest, guard)
        .map_err(|e| anyhow::anyhow!(messages::output_refused(&e, lang)))?;
    commit_after(input, None, file, raw, lang, progress)
}

pub(super) fn commit_after(
    input: impl Read,
    name: Option<&str>,
    mut file: OutputFile,
    raw: bool,
    lang: Lang,
    progress: Option<&ProgressBar>,
) -> anyhow::Result<u64> {
    let dest = file.dest().to_path_buf();
    let second = file.as_file().try_clone().ok();
    let mut out = sync_ahead::SyncAhead::new(
        Named {
            inner: &mut file,
            path: Some(&dest),
            lang,
        },
        second,
    );
    // On an error `file` is dropped here, which removes the temporary file.
    let rows = convert_named(input, name, &mut out, raw, lang, progress)?;
    out.finish()
        .map_err(|e| messages::write_failed(e, Some(&dest), lang))?;
    file.commit()
        .map_err(|e| anyhow::anyhow!(messages::output_refused(&e, lang)))?;
    Ok(rows)
}

/// A character device or a pipe (`-o /dev/null`, a FIFO): no file to protect, and one that
/// must not be replaced by a renamed file, so it is written directly.
pub(super) fn is_device(p: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::metadata(p).is_ok_and(|m| {
        let t = m.file_type();
        t.is_char_device() || t.is_fifo() || t.is_socket()
    })
}

/// Whether standard output is the file at `path` (`zscore in.csv >> in.csv`, which would
/// read its own rows back without end).
pub(super) fn stdout_is(path: &Path) -> bool {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    let Ok(fd) = io::stdout().as_fd().try_clone_to_owned() else {
        return false;
    };
    match (File::from(fd).metadata(), std::fs::metadata(path)) {
        (Ok(out), Ok(input)) => {
            out.is_file() && out.dev() == input.dev() && out.ino() == input.ino()
        }
        _ => false,
    }
}

/// Names the input or the output in its I/O errors (stdout when `path` is `None`), in the
/// user's language; a closed pipe keeps its kind so that `main` ends quietly.
pub(super) struct Named<'a, T> {
    pub(super) inner: T,
    pub(super) path: Option<&'a Path>,
    pub(super) lang: Lang,
}

impl<T: Write> Write for Named<'_, T> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner
            .write(buf)
            .map_err(|e| messages::write_failed(e, self.path, self.lang))
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.inner
            .write_all(buf)
            .map_err(|e| messages::write_failed(e, self.path, self.lang))
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner
            .flush()
            .map_err(|e| messages::write_failed(e, self.path, self.lang))
    }
}
