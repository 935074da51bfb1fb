//! Files the commands write (`zscore -o`, `import --errors`, …) never destroy a user's file.
//!
//! The output goes to a temporary file in the destination's folder, is synced, and only
//! then renamed over the name the user gave; a run that fails or is killed leaves the old
//! file as it was (at worst a hidden `.NAME.*.tmp` beside it, never a half-written NAME).
//! Before anything is created, the destination is checked: the input of the same run and
//! the database are refused (the database even with `--force`), and so is any existing
//! file unless the user said `--force`.

use std::fmt;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// What a destination must not be.
#[derive(Debug, Default, Clone)]
pub struct Guard {
    /// Files this run reads: an output over one of them is refused unless `force`.
    pub inputs: Vec<PathBuf>,
    /// The database file (SQLite), with its `-wal`/`-shm`/`-journal` companions: always
    /// refused.
    pub database: Option<PathBuf>,
    /// The user asked to replace an existing file (`--force`).
    pub force: bool,
}

/// Why an output file was refused or could not be written.
#[derive(Debug)]
pub enum SafeFileError {
    IsDatabase(PathBuf),
    IsInput(PathBuf),
    Exists(PathBuf),
    IsDirectory(PathBuf),
    Io(PathBuf, io::Error),
}

impl fmt::Display for SafeFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::IsDatabase(p) => write!(
                f,
                "{} adalah basis data: tidak akan ditimpa (pilih nama berkas lain)",
                p.display()
            ),
            Self::IsInput(p) => write!(
                f,
                "{} adalah berkas masukan: pilih nama lain, atau --force untuk menggantinya",
                p.display()
            ),
            Self::Exists(p) => write!(
                f,
                "{} sudah ada: pilih nama lain, atau --force untuk menimpanya",
                p.display()
            ),
            Self::IsDirectory(p) => write!(f, "{} adalah folder, bukan berkas", p.display()),
            Self::Io(p, e) => write!(f, "tidak bisa menulis {}: {e}", p.display()),
        }
    }
}

impl std::error::Error for SafeFileError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io(_, e) => Some(e),
            _ => None,
        }
    }
}

/// Identity of an existing file (device and inode), so a second name or a hard link to
/// the same file is recognised.
fn identity(p: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(p).ok().map(|m| (m.dev(), m.ino()))
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (identity(a), identity(b)) {
        (Some(x), Some(y)) => x == y,
        _ => absolute(a) == absolute(b),
    }
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

fn database_files(db: &Path) -> Vec<PathBuf> {
    let mut files = vec![db.to_path_buf()];
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut s = db.as_os_str().to_owned();
        s.push(suffix);
        files.push(PathBuf::from(s));
    }
    files
}

/// Checks `dest` against `guard` without creating anything.
pub fn check(dest: &Path, guard: &Guard) -> Result<(), SafeFileError> {
    if let Some(db) = &guard.database
        && database_files(db).iter().any(|f| same_file(dest, f))
    {
        return Err(SafeFileError::IsDatabase(dest.to_path_buf()));
    }
    if dest.is_dir() {
        return Err(SafeFileError::IsDirectory(dest.to_path_buf()));
    }
    if guard.force {
        return Ok(());
    }
    if guard.inputs.iter().any(|i| same_file(dest, i)) {
        return Err(SafeFileError::IsInput(dest.to_path_buf()));
    }
    if fs::symlink_metadata(dest).is_ok() {
        return Err(SafeFileError::Exists(dest.to_path_buf()));
    }
    Ok(())
}

/// An output file being written: a temporary file beside the destination until
/// [`OutputFile::commit`]. Dropped without a commit, the temporary file is removed and the
/// destination is untouched.
pub struct OutputFile {
    tmp: NamedTempFile,
    dest: PathBuf,
    force: bool,
}

impl OutputFile {
    /// Checks `dest` (see [`check`]) and opens its temporary file.
    pub fn create(dest: &Path, guard: &Guard) -> Result<Self, SafeFileError> {
        check(dest, guard)?;
        let dir = match dest.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| SafeFileError::Io(dest.to_path_buf(), e))?;
        // A replaced file keeps its permissions; a new one stays readable by its owner only
        // (the temporary file's 0600), as befits health data.
        if let Ok(meta) = fs::metadata(dest) {
            fs::set_permissions(tmp.path(), meta.permissions())
                .map_err(|e| SafeFileError::Io(dest.to_path_buf(), e))?;
        }
        Ok(Self {
            tmp,
            dest: dest.to_path_buf(),
            force: guard.force,
        })
    }

    /// Syncs the data to disk and renames it over the destination (refusing, without
    /// `--force`, a file that appeared meanwhile), then syncs the folder.
    pub fn commit(self) -> Result<(), SafeFileError> {
        let dest = self.dest;
        let io_err = |e: io::Error| SafeFileError::Io(dest.clone(), e);
        self.tmp.as_file().sync_all().map_err(io_err)?;
        let persisted = if self.force {
            self.tmp.persist(&dest)
        } else {
            self.tmp.persist_noclobber(&dest)
        };
        if let Err(e) = persisted {
            // `e.file` is dropped here, which removes the temporary file.
            if e.error.kind() == io::ErrorKind::AlreadyExists {
                return Err(SafeFileError::Exists(dest));
            }
            return Err(io_err(e.error));
        }
        let dir = match dest.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        File::open(dir).and_then(|d| d.sync_all()).map_err(io_err)?;
        Ok(())
    }

    /// Where the file will appear.
    pub fn dest(&self) -> &Path {
        &self.dest
    }

    /// The temporary file, e.g. to start syncing it while it is still being written (a
    /// large output then leaves little for [`OutputFile::commit`] to wait for).
    pub fn as_file(&self) -> &File {
        self.tmp.as_file()
    }
}

impl Write for OutputFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.tmp.as_file_mut().write(buf)
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.tmp.as_file_mut().write_all(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.tmp.as_file_mut().flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guard() -> Guard {
        Guard::default()
    }

    #[test]
    fn commit_replaces_only_at_the_end() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let dest = dir.path().join("out.csv");
        let mut f = OutputFile::create(&dest, &guard())?;
        f.write_all(b"a,b\n")?;
        assert!(!dest.exists(), "nothing under the real name before commit");
        f.commit()?;
        assert_eq!(fs::read(&dest)?, b"a,b\n");
        assert_eq!(
            fs::read_dir(dir.path())?.count(),
            1,
            "no temporary file left"
        );
        Ok(())
    }

    #[test]
    fn dropped_without_commit_leaves_nothing() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let dest = dir.path().join("out.csv");
        fs::write(&dest, b"old")?;
        let g = Guard {
            force: true,
            ..guard()
        };
        let mut f = OutputFile::create(&dest, &g)?;
        f.write_all(b"new, half")?;
        drop(f);
        assert_eq!(fs::read(&dest)?, b"old");
        assert_eq!(fs::read_dir(dir.path())?.count(), 1);
        Ok(())
    }

    #[test]
    fn refusals() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let input = dir.path().join("in.csv");
        let db = dir.path().join("posyandu.sqlite");
        fs::write(&input, b"x")?;
        fs::write(&db, b"db")?;
        let g = Guard {
            inputs: vec![input.clone()],
            database: Some(db.clone()),
            force: false,
        };
        assert!(matches!(check(&input, &g), Err(SafeFileError::IsInput(_))));
        // The same file by another spelling of its path.
        let other = dir.path().join(".").join("in.csv");
        assert!(matches!(check(&other, &g), Err(SafeFileError::IsInput(_))));
        assert!(matches!(check(&db, &g), Err(SafeFileError::IsDatabase(_))));
        let wal = dir.path().join("posyandu.sqlite-wal");
        assert!(matches!(check(&wal, &g), Err(SafeFileError::IsDatabase(_))));
        assert!(matches!(
            check(dir.path(), &g),
            Err(SafeFileError::IsDirectory(_))
        ));
        let forced = Guard { force: true, ..g };
        assert!(
            check(&input, &forced).is_ok(),
            "--force may replace the input"
        );
        assert!(
            matches!(check(&db, &forced), Err(SafeFileError::IsDatabase(_))),
            "never the database"
        );
        assert_eq!(fs::read(&db)?, b"db");
        assert_eq!(fs::read(&input)?, b"x");
        Ok(())
    }

    #[test]
    fn existing_file_needs_force() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let dest = dir.path().join("out.csv");
        fs::write(&dest, b"keep")?;
        assert!(matches!(
            OutputFile::create(&dest, &guard()),
            Err(SafeFileError::Exists(_))
        ));
        let g = Guard {
            force: true,
            ..guard()
        };
        let mut f = OutputFile::create(&dest, &g)?;
        f.write_all(b"new")?;
        f.commit()?;
        assert_eq!(fs::read(&dest)?, b"new");
        Ok(())
    }

    #[test]
    fn a_replaced_file_keeps_its_permissions_a_new_one_is_private()
    -> Result<(), Box<dyn std::error::Error>> {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir()?;
        let old = dir.path().join("shared.csv");
        fs::write(&old, b"x")?;
        fs::set_permissions(&old, fs::Permissions::from_mode(0o644))?;
        let g = Guard {
            force: true,
            ..guard()
        };
        let mut f = OutputFile::create(&old, &g)?;
        f.write_all(b"y")?;
        f.commit()?;
        assert_eq!(fs::metadata(&old)?.permissions().mode() & 0o777, 0o644);
        let new = dir.path().join("new.csv");
        let mut f = OutputFile::create(&new, &guard())?;
        f.write_all(b"z")?;
        f.commit()?;
        assert_eq!(fs::metadata(&new)?.permissions().mode() & 0o777, 0o600);
        Ok(())
    }
}
