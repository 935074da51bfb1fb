//! The SHA-256 of a backup, kept beside it as `FILE.sha256`.
//!
//! `PRAGMA integrity_check` only sees damage to the file's structure: a flipped byte inside a
//! row's data (a length of 61.1 cm read back as 25.22) passes it. The checksum of the whole
//! file catches any change. It lives in a sidecar, not inside the database, so the backup stays
//! a plain SQLite file and anyone can check it with `sha256sum -c FILE.sha256` (the sidecar is
//! in that tool's format: `<64 hex>  <file name>`).

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Result, StoreError};

/// Hex SHA-256 of a file's bytes.
pub type Sha256Hex = String;

/// `dir/cadangan.sqlite` → `dir/cadangan.sqlite.sha256`.
pub fn sidecar_path(backup: &Path) -> PathBuf {
    let mut name = backup
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".sha256");
    backup.with_file_name(name)
}

fn hex(digest: &[u8]) -> Sha256Hex {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(64);
    for b in digest {
        let _ = write!(s, "{b:02x}");
    }
    s
}

fn file_error(path: &Path, reason: impl ToString) -> StoreError {
    StoreError::invalid("file", path.display(), reason)
}

/// SHA-256 of the file at `path`.
pub fn sha256_file(path: &Path) -> Result<Sha256Hex> {
    let mut f = File::open(path).map_err(|e| file_error(path, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf).map_err(|e| file_error(path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

/// Copies `from` to `to` (created new) and syncs it; returns the SHA-256 of the bytes written,
/// so the caller checks the copy it will use, not the file it read a moment before.
pub(crate) fn copy_hashing(from: &Path, to: &Path) -> io::Result<Sha256Hex> {
    let mut src = File::open(from)?;
    let mut dst = File::options().write(true).create_new(true).open(to)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = src.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        dst.write_all(&buf[..n])?;
    }
    dst.sync_all()?;
    Ok(hex(&hasher.finalize()))
}

/// Writes the sidecar of `backup` atomically (temporary file, sync, rename): a crash leaves
/// either no sidecar or a whole one.
pub(crate) fn write_sidecar(backup: &Path, sum: &str) -> Result<PathBuf> {
    let side = sidecar_path(backup);
    let name = backup
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut tmp_name = side
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    tmp_name.push(".tmp");
    let tmp = side.with_file_name(tmp_name);
    let _ = std::fs::remove_file(&tmp);
    let written = (|| -> io::Result<()> {
        let mut f = File::options().write(true).create_new(true).open(&tmp)?;
        f.write_all(format!("{sum}  {name}\n").as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, &side)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(file_error(&side, e));
    }
    Ok(side)
}

/// The checksum recorded for `backup`: `None` when it has no sidecar (backups made before
/// checksums existed). A sidecar that is not one hash is an error, never "no checksum".
pub fn recorded_sum(backup: &Path) -> Result<Option<Sha256Hex>> {
    let side = sidecar_path(backup);
    let text = match std::fs::read_to_string(&side) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(file_error(&side, e)),
    };
    // Only the hash counts: a backup renamed together with its sidecar still verifies.
    let sum = text.split_whitespace().next().unwrap_or("");
    if sum.len() != 64 || !sum.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(file_error(
            &side,
            "bukan checksum SHA-256 (diharapkan 64 digit heksadesimal)",
        ));
    }
    Ok(Some(sum.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sidecar_round_trip_in_sha256sum_format() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = dir.path().join("cadangan.sqlite");
        std::fs::write(&file, b"abc").unwrap_or_else(|e| panic!("{e}"));
        let sum = sha256_file(&file).unwrap_or_else(|e| panic!("{e}"));
        // SHA-256("abc") from FIPS 180-2.
        assert_eq!(
            sum,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(recorded_sum(&file).ok(), Some(None));
        let side = write_sidecar(&file, &sum).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(side, dir.path().join("cadangan.sqlite.sha256"));
        let text = std::fs::read_to_string(&side).unwrap_or_default();
        assert_eq!(text, format!("{sum}  cadangan.sqlite\n"));
        assert_eq!(recorded_sum(&file).ok(), Some(Some(sum)));
        std::fs::write(&side, "rusak\n").unwrap_or_else(|e| panic!("{e}"));
        assert!(recorded_sum(&file).is_err());
    }
}
