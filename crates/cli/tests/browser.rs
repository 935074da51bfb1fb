//! The browser tests (`browser/*.test.mjs`) against a real `posyandu serve --demo`: a whole
//! service day in headless Debian Chromium at 360×640, with axe-core on every page and
//! screenshots of every step (under `browser/out/`).
//!
//! Needs `node`, `/usr/bin/chromium` and `browser/node_modules` (`npm ci` in `browser/`);
//! `.ci/run` installs them. Under `CI=true` a missing piece fails the test; elsewhere the
//! test is skipped with the reason printed.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../browser")
}

/// Why the browser tests cannot run here, if they cannot.
fn missing() -> Option<String> {
    if Command::new("node").arg("--version").output().is_err() {
        return Some("node is not installed".into());
    }
    if !Path::new("/usr/bin/chromium").exists() {
        return Some("/usr/bin/chromium is not installed (apt-get install chromium)".into());
    }
    if !browser_dir().join("node_modules/playwright-core").is_dir() {
        return Some("browser/node_modules is missing (npm ci in browser/)".into());
    }
    None
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_whole_service_day_in_chromium() {
    if let Some(why) = missing() {
        assert!(
            std::env::var("CI").is_err(),
            "browser tests must run in CI: {why}"
        );
        eprintln!("skipped: {why}");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_posyandu"))
        .args(["serve", "--demo", "--addr", "127.0.0.1:0"])
        .current_dir(dir.path())
        .env_remove("POSYANDU_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn posyandu serve");
    let stdout = child.stdout.take().expect("stdout");
    let server = Server(child);
    let mut url = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("server output");
        if let Some(rest) = line.split("http://").nth(1) {
            let addr = rest.split_whitespace().next().unwrap_or_default();
            url = Some(format!("http://{}", addr.trim_end_matches('/')));
            break;
        }
    }
    let url = url.expect("the server prints its URL");
    let shots = browser_dir().join("out");
    let status = Command::new("node")
        .args([
            "--test",
            "--test-reporter=spec",
            "--test-concurrency=1",
            "service_day.test.mjs",
            "offline.test.mjs",
            "person.test.mjs",
            "inbox.test.mjs",
            "targets.test.mjs",
            "upload.test.mjs",
            "report.test.mjs",
            "dashboard.test.mjs",
        ])
        .current_dir(browser_dir())
        .env("POSYANDU_URL", &url)
        .env("SHOTS", &shots)
        .status()
        .expect("run node");
    drop(server);
    assert!(
        status.success(),
        "browser tests failed (screenshots in {})",
        shots.display()
    );
}
