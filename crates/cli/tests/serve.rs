//! `posyandu serve` as a user runs it: it creates and migrates the SQLite file, prints its
//! URL, answers `/healthz`, logs requests without their query strings, and stops cleanly on
//! SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

fn http_get(addr: &str, path: &str) -> String {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("read");
    out
}

#[test]
fn serve_creates_the_database_answers_healthz_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_posyandu"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .current_dir(dir.path())
        .env_remove("POSYANDU_DATABASE_URL")
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut first = String::new();
    stdout.read_line(&mut first).expect("first line");
    let addr = first
        .split("http://")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .expect("URL in the first line")
        .to_owned();
    assert!(
        dir.path().join("posyandu.sqlite").is_file(),
        "SQLite file created in the working directory"
    );

    let res = http_get(&addr, "/healthz");
    assert!(res.starts_with("HTTP/1.1 200"), "{res}");
    assert!(res.ends_with("ok"), "{res}");
    let res = http_get(&addr, "/cari?nik=3508026602240001&nama=Siti");
    assert!(res.starts_with("HTTP/1.1 404"), "{res}");

    let pid = child.id().to_string();
    let killed = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = child.wait().expect("wait");
    assert!(status.success(), "exit after SIGTERM: {status}");
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).expect("rest of stdout");
    assert!(rest.contains("Server berhenti"), "{rest}");
    let mut logs = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut logs)
        .expect("logs");
    assert!(logs.contains("path=/healthz"), "{logs}");
    assert!(logs.contains("path=/cari"), "{logs}");
    assert!(
        !logs.contains("3508026602240001"),
        "NIK in the logs: {logs}"
    );
    assert!(!logs.contains("Siti"), "name in the logs: {logs}");
}
