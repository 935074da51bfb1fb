//! `posyandu zscore` never destroys or half-writes a file, and ends cleanly when its
//! standard output is closed or full: the real binary, real files, a real kill -9.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_posyandu"))
}

const SMALL: &str = "nama,sex,age_days,weight_kg,lenhei_cm\nAni,2,400,9.1,75\nBudi,1,500,10.2,79\n";

/// A register of `rows` rows (a few MB per 100,000 rows).
fn register(rows: usize) -> String {
    let mut s = String::from("no,sex,age_days,weight_kg,lenhei_cm,measure\n");
    for i in 0..rows {
        s.push_str(&format!(
            "{i},{},{},{}.{},{},l\n",
            1 + i % 2,
            30 + i % 1700,
            5 + i % 12,
            i % 10,
            55 + i % 50
        ));
    }
    s
}

/// Files in `dir`, sorted, so a test can see that nothing was left behind.
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn output_over_the_input_is_refused_and_the_input_kept() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    fs::write(&input, SMALL).unwrap();
    let out = bin()
        .arg("zscore")
        .arg(&input)
        .arg("-o")
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("masukan") && err.contains("in.csv"), "{err}");
    assert_eq!(
        fs::read_to_string(&input).unwrap(),
        SMALL,
        "input untouched"
    );
    assert_eq!(listing(dir.path()), ["in.csv"]);
    // The same file by another path is recognised too; English with --lang en.
    let other = dir.path().join(".").join("in.csv");
    let out = bin()
        .args(["zscore", "--lang", "en"])
        .arg(&input)
        .arg("-o")
        .arg(&other)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("is the input file"), "{err}");
    assert_eq!(fs::read_to_string(&input).unwrap(), SMALL);
}

#[test]
fn stdout_appending_to_the_input_is_refused() {
    // `posyandu zscore in.csv >> in.csv` would read its own rows back without end.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    fs::write(&input, SMALL).unwrap();
    let append = fs::OpenOptions::new().append(true).open(&input).unwrap();
    let out = bin()
        .arg("zscore")
        .arg(&input)
        .stdout(append)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("adalah berkas masukan"), "{err}");
    assert_eq!(fs::read_to_string(&input).unwrap(), SMALL);
}

#[test]
fn an_existing_output_is_replaced_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let (input, output) = (dir.path().join("in.csv"), dir.path().join("out.csv"));
    fs::write(&input, SMALL).unwrap();
    fs::write(&output, "keep me\n").unwrap();
    let out = bin()
        .arg("zscore")
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("sudah ada") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(fs::read_to_string(&output).unwrap(), "keep me\n");

    let st = bin()
        .arg("zscore")
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .arg("--force")
        .status()
        .unwrap();
    assert!(st.success());
    let text = fs::read_to_string(&output).unwrap();
    let mut lines = text.lines();
    assert!(lines.next().unwrap().ends_with(",zbfa,fbfa,error"));
    assert_eq!(lines.count(), 2, "both rows written");
    assert_eq!(
        listing(dir.path()),
        ["in.csv", "out.csv"],
        "no temporary file left"
    );
}

#[test]
fn a_refused_input_touches_no_existing_output() {
    let dir = tempfile::tempdir().unwrap();
    let (input, output) = (dir.path().join("in.csv"), dir.path().join("out.csv"));
    fs::write(&input, "nama,berat_lahir\nAni,3\n").unwrap();
    fs::write(&output, "keep me\n").unwrap();
    let out = bin()
        .arg("zscore")
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .arg("--force")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("kolom yang diperlukan tidak ada"), "{err}");
    assert_eq!(fs::read_to_string(&output).unwrap(), "keep me\n");
    assert_eq!(listing(dir.path()), ["in.csv", "out.csv"]);
}

/// A reader that fails after `left` bytes, as a disk or a network share can.
struct FailingAfter<R> {
    inner: R,
    left: usize,
}

impl<R: Read> Read for FailingAfter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            return Err(std::io::Error::other("disk went away"));
        }
        let n = buf.len().min(self.left);
        let n = self.inner.read(&mut buf[..n])?;
        self.left -= n;
        Ok(n)
    }
}

#[test]
fn an_error_mid_run_leaves_no_partial_output() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("out.csv");
    let data = register(200_000);
    let input = FailingAfter {
        inner: data.as_bytes(),
        left: data.len() / 2,
    };
    let guard = posyandu::safe_file::Guard::default();
    let err = posyandu::zscore::write_file(
        input,
        &output,
        &guard,
        false,
        posyandu::zscore::Lang::En,
        None,
    )
    .unwrap_err();
    assert!(format!("{err:#}").contains("disk went away"), "{err:#}");
    assert!(!output.exists(), "no output under the real name");
    assert!(listing(dir.path()).is_empty(), "temporary file removed");

    // The same with an existing output replaced by --force: it is left as it was.
    fs::write(&output, "old\n").unwrap();
    let input = FailingAfter {
        inner: data.as_bytes(),
        left: data.len() / 2,
    };
    let guard = posyandu::safe_file::Guard {
        force: true,
        ..Default::default()
    };
    assert!(
        posyandu::zscore::write_file(
            input,
            &output,
            &guard,
            false,
            posyandu::zscore::Lang::Id,
            None
        )
        .is_err()
    );
    assert_eq!(fs::read_to_string(&output).unwrap(), "old\n");
    assert_eq!(listing(dir.path()), ["out.csv"]);
}

/// Starts `zscore - -o out.csv [--force]`, feeds it part of a large register on stdin and
/// kills it with SIGKILL once its temporary output holds data: a run interrupted midway
/// whatever the machine's speed.
fn kill_mid_run(dir: &Path, output: &Path, force: bool) {
    let data = register(400_000);
    let mut cmd = bin();
    cmd.args(["zscore", "-", "-o"]).arg(output);
    if force {
        cmd.arg("--force");
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(&data.as_bytes()[..data.len() / 2]).unwrap();
    stdin.flush().unwrap();
    let temp_has_data = || {
        fs::read_dir(dir).unwrap().any(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().into_owned();
            name.ends_with(".tmp") && e.metadata().is_ok_and(|m| m.len() > 0)
        })
    };
    let start = Instant::now();
    while !temp_has_data() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no output written"
        );
        assert!(child.try_wait().unwrap().is_none(), "ended before the kill");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL on Unix
    let status = child.wait().unwrap();
    drop(stdin);
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(9), "killed, not finished");
}

#[test]
fn kill_9_mid_run_leaves_no_partial_output() {
    let dir = tempfile::tempdir().unwrap();
    let output = dir.path().join("out.csv");
    kill_mid_run(dir.path(), &output, false);
    assert!(!output.exists(), "nothing under the real name");

    fs::write(&output, "old\n").unwrap();
    kill_mid_run(dir.path(), &output, true);
    assert_eq!(
        fs::read_to_string(&output).unwrap(),
        "old\n",
        "existing output unchanged"
    );
}

#[test]
fn a_closed_stdout_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("big.csv");
    fs::write(&input, register(300_000)).unwrap();
    // `posyandu zscore big.csv | head -1`
    let mut child = bin()
        .arg("zscore")
        .arg(&input)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap(); // the reader is dropped here: the pipe closes
    assert!(first.starts_with("no,sex,age_days"), "{first}");
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(141), "as a shell reports SIGPIPE");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "",
        "no message, no panic"
    );
}

#[test]
fn a_full_stdout_gives_one_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("big.csv");
    fs::write(&input, register(50_000)).unwrap();
    for (lang, word) in [("id", "keluaran standar"), ("en", "standard output")] {
        let out = bin()
            .args(["zscore", "--lang", lang])
            .arg(&input)
            .stdout(fs::File::create("/dev/full").unwrap())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "one message: {err}");
        assert!(err.contains(word) && err.contains("No space left"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn a_device_output_is_written_directly() {
    // `-o /dev/null` (timing a run) has no file to protect and is not replaced.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.csv");
    fs::write(&input, SMALL).unwrap();
    let st = bin()
        .arg("zscore")
        .arg(&input)
        .args(["-o", "/dev/null"])
        .status()
        .unwrap();
    assert!(st.success());
    use std::os::unix::fs::FileTypeExt;
    assert!(
        fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device(),
        "still the device"
    );
}
