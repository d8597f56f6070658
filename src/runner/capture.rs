//! Bounded capture of a child's stdout and stderr on reader threads.
//!
//! stdout is kept up to a limit; past it the reader flags the overflow and
//! kills the process group, so a program flooding its output cannot fill
//! memory or run on. stderr keeps only its tail.

use std::io::Read;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// What a reader thread hands back when its pipe closes.
pub struct Captured {
    /// The bytes kept.
    pub bytes: Vec<u8>,
    /// True if more came than the limit allowed.
    pub overflowed: bool,
}

/// A reader thread whose result can be awaited with a deadline.
pub struct Reader(mpsc::Receiver<Captured>);

impl Reader {
    /// Reads `pipe` keeping the first `limit` bytes; on overflow calls `on_overflow` once.
    pub fn head(
        mut pipe: impl Read + Send + 'static,
        limit: usize,
        on_overflow: impl FnOnce() + Send + 'static,
    ) -> Reader {
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut bytes = Vec::new();
            let mut overflowed = false;
            let mut on_overflow = Some(on_overflow);
            let mut buf = [0u8; 64 * 1024];
            loop {
                match pipe.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) if !overflowed => {
                        let room = limit.saturating_sub(bytes.len());
                        bytes.extend_from_slice(&buf[..n.min(room)]);
                        if n > room {
                            overflowed = true;
                            if let Some(f) = on_overflow.take() {
                                f();
                            }
                        }
                    }
                    Ok(_) => {} // draining after an overflow
                }
            }
            let _ = tx.send(Captured { bytes, overflowed });
        });
        Reader(rx)
    }

    /// Reads `pipe` keeping only the last `limit` bytes.
    pub fn tail(mut pipe: impl Read + Send + 'static, limit: usize) -> Reader {
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            let mut bytes: Vec<u8> = Vec::new();
            let mut buf = [0u8; 16 * 1024];
            loop {
                match pipe.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        bytes.extend_from_slice(&buf[..n]);
                        if bytes.len() > 2 * limit {
                            bytes.drain(..bytes.len() - limit);
                        }
                    }
                }
            }
            if bytes.len() > limit {
                bytes.drain(..bytes.len() - limit);
            }
            let _ = tx.send(Captured {
                bytes,
                overflowed: false,
            });
        });
        Reader(rx)
    }

    /// Waits for the pipe to close. A pipe still held open by a process that
    /// escaped the group gives up after `grace` with what was read so far lost.
    pub fn finish(self, grace: Duration) -> Captured {
        self.0.recv_timeout(grace).unwrap_or(Captured {
            bytes: Vec::new(),
            overflowed: false,
        })
    }
}
