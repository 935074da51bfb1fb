//! Syncing a large `-o` file while it is still being written.
//!
//! [`crate::safe_file::OutputFile::commit`] syncs the whole file before the rename; for a
//! million-row register (120 MB) that wait alone was about 0.1 s, 40 % of the run. Here a
//! helper thread syncs what has been written so far every [`EVERY`] bytes, on the disk's
//! time rather than the computation's, so the final sync has only the tail left.

use std::fs::File;
use std::io::{self, Write};
use std::sync::mpsc::{self, SyncSender, TrySendError};
use std::thread::JoinHandle;

/// Bytes written between two background syncs.
const EVERY: u64 = 16 << 20;

/// A writer that asks a helper thread to sync `file` every [`EVERY`] bytes written
/// through it. [`SyncAhead::finish`] waits for the helper and reports its first error (an
/// error seen there may not be seen again by the final sync, so it must not be lost).
pub struct SyncAhead<W> {
    inner: W,
    since_sync: u64,
    poke: Option<SyncSender<()>>,
    helper: Option<JoinHandle<io::Result<()>>>,
}

impl<W: Write> SyncAhead<W> {
    /// `file` is the file `inner` writes to (a second handle to it); without one (it
    /// could not be duplicated) this is a plain writer.
    pub fn new(inner: W, file: Option<File>) -> Self {
        let (poke, helper) = match file {
            Some(file) => {
                // One pending request at most: a sync covers everything written before it.
                let (tx, rx) = mpsc::sync_channel::<()>(1);
                let helper = std::thread::spawn(move || -> io::Result<()> {
                    while rx.recv().is_ok() {
                        file.sync_data()?;
                    }
                    Ok(())
                });
                (Some(tx), Some(helper))
            }
            None => (None, None),
        };
        Self {
            inner,
            since_sync: 0,
            poke,
            helper,
        }
    }

    /// Stops the helper once its current sync is done; its error, if any.
    pub fn finish(mut self) -> io::Result<()> {
        self.stop()
    }

    fn stop(&mut self) -> io::Result<()> {
        self.poke = None;
        match self.helper.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(io::Error::other("sync thread stopped")),
            None => Ok(()),
        }
    }

    fn wrote(&mut self, n: usize) {
        self.since_sync += n as u64;
        if self.since_sync >= EVERY {
            self.since_sync = 0;
            if let Some(tx) = &self.poke
                && let Err(TrySendError::Disconnected(())) = tx.try_send(())
            {
                // The helper stopped on an error; `finish` reports it.
                self.poke = None;
            }
        }
    }
}

impl<W: Write> Write for SyncAhead<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.wrote(n);
        Ok(n)
    }
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.inner.write_all(buf)?;
        self.wrote(buf.len());
        Ok(())
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W> Drop for SyncAhead<W> {
    /// A run that failed still waits for the helper, so no thread outlives the file.
    fn drop(&mut self) {
        self.poke = None;
        if let Some(h) = self.helper.take() {
            let _ = h.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn everything_written_arrives_and_the_helper_stops() -> io::Result<()> {
        let mut f = tempfile::tempfile()?;
        let second = f.try_clone()?;
        let mut w = SyncAhead::new(f.try_clone()?, Some(second));
        let chunk = vec![b'x'; 1 << 20];
        for _ in 0..40 {
            w.write_all(&chunk)?; // 40 MB: two background syncs asked for
        }
        w.finish()?;
        let mut back = Vec::new();
        use std::io::Seek;
        f.seek(io::SeekFrom::Start(0))?;
        f.read_to_end(&mut back)?;
        assert_eq!(back.len(), 40 << 20);
        assert!(back.iter().all(|&b| b == b'x'));
        Ok(())
    }
}
