//! The uploaded file kept on the server between the preview and the confirmation: a file in
//! a private folder under the system's temporary directory, named by the user and a random
//! token, so a confirmation can only take back the user's own upload. Files older than an
//! hour are removed at the next upload; a confirmed one at once.

use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use store::{OrgUnitId, UserId};
use uuid::Uuid;

/// How long an upload waits for its confirmation.
const KEEP: Duration = Duration::from_secs(3600);

/// An upload waiting for confirmation.
#[derive(Debug)]
pub struct Kept {
    pub unit: OrgUnitId,
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Why a kept upload cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum StashError {
    /// Expired, already imported, another user's, or a made-up token.
    #[error("unggahan tidak ditemukan")]
    Gone,
    #[error("berkas sementara: {0}")]
    Io(#[from] std::io::Error),
}

fn folder() -> PathBuf {
    std::env::temp_dir().join("posyandu-unggah")
}

fn path(user: UserId, token: Uuid) -> PathBuf {
    folder().join(format!("{}-{}.upload", user.0.simple(), token.simple()))
}

/// Removes uploads nobody confirmed within [`KEEP`].
fn sweep() {
    let Ok(dir) = std::fs::read_dir(folder()) else {
        return;
    };
    let now = SystemTime::now();
    for e in dir.flatten() {
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age > KEEP);
        if old {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Keeps an upload; returns its token. Written whole to a temporary name, then renamed.
pub fn keep(user: UserId, kept: &Kept) -> Result<Uuid, StashError> {
    sweep();
    let dir = folder();
    std::fs::create_dir_all(&dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))?;
    }
    let token = Uuid::new_v4();
    let dest = path(user, token);
    let part = dest.with_extension("part");
    let name = kept.name.replace(['\n', '\r'], " ");
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&part)?;
    writeln!(f, "{}", kept.unit.0)?;
    writeln!(f, "{name}")?;
    f.write_all(&kept.bytes)?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&part, &dest)?;
    Ok(token)
}

/// The user's upload of `token`, if it is still there.
pub fn take(user: UserId, token: &str) -> Result<Kept, StashError> {
    let token = Uuid::parse_str(token.trim()).map_err(|_| StashError::Gone)?;
    let data = match std::fs::read(path(user, token)) {
        Ok(d) => d,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(StashError::Gone),
        Err(e) => return Err(e.into()),
    };
    let mut parts = data.splitn(3, |b| *b == b'\n');
    let unit = parts
        .next()
        .and_then(|l| std::str::from_utf8(l).ok())
        .and_then(|l| Uuid::parse_str(l).ok())
        .ok_or(StashError::Gone)?;
    let name = parts
        .next()
        .map(|l| String::from_utf8_lossy(l).into_owned())
        .ok_or(StashError::Gone)?;
    Ok(Kept {
        unit: OrgUnitId(unit),
        name,
        bytes: parts.next().unwrap_or_default().to_vec(),
    })
}

/// Forgets the user's upload of `token` (after it was imported).
pub fn forget(user: UserId, token: &str) {
    if let Ok(token) = Uuid::parse_str(token.trim()) {
        let _ = std::fs::remove_file(path(user, token));
    }
}
