//! Bounded capture of a child's stdout and stderr, read without threads.
//!
//! Both pipes are non-blocking and read when `poll` says they are ready.
//! stdout keeps its head up to a limit (past it the run is a failure and the
//! child is killed); stderr keeps only its tail, where error messages end.

use std::fs::File;
use std::io::{ErrorKind, Read};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};

/// Which part of the stream a [`Pipe`] keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// The first `n` bytes; more marks the pipe overflowed.
    Head(usize),
    /// The last `n` bytes.
    Tail(usize),
}

/// One non-blocking pipe from the child and what was kept of it.
pub struct Pipe {
    file: Option<File>,
    keep: Keep,
    /// The bytes kept.
    pub bytes: Vec<u8>,
    /// True once more than a head limit arrived.
    pub overflowed: bool,
}

impl Pipe {
    /// Wraps the read end of a pipe and makes it non-blocking.
    pub fn new(fd: impl Into<OwnedFd>, keep: Keep) -> std::io::Result<Pipe> {
        let fd: OwnedFd = fd.into();
        set_nonblocking(fd.as_raw_fd())?;
        Ok(Pipe {
            file: Some(File::from(fd)),
            keep,
            bytes: Vec::new(),
            overflowed: false,
        })
    }

    /// The descriptor to poll, while the pipe is open.
    pub fn fd(&self) -> Option<RawFd> {
        self.file.as_ref().map(|f| f.as_raw_fd())
    }

    /// Reads everything available now; closes the pipe at end of file.
    pub fn drain(&mut self) {
        let mut buf = [0u8; 64 * 1024];
        loop {
            let Some(file) = self.file.as_mut() else {
                return;
            };
            match file.read(&mut buf) {
                Ok(0) => {
                    self.file = None;
                    return;
                }
                Ok(n) => self.keep(&buf[..n]),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) if e.kind() == ErrorKind::WouldBlock => return,
                Err(_) => {
                    self.file = None;
                    return;
                }
            }
        }
    }

    fn keep(&mut self, chunk: &[u8]) {
        match self.keep {
            Keep::Head(limit) => {
                let room = limit.saturating_sub(self.bytes.len());
                self.bytes
                    .extend_from_slice(&chunk[..chunk.len().min(room)]);
                self.overflowed |= chunk.len() > room;
            }
            Keep::Tail(limit) => {
                self.bytes.extend_from_slice(chunk);
                if self.bytes.len() > limit {
                    self.bytes.drain(..self.bytes.len() - limit);
                }
            }
        }
    }
}

fn set_nonblocking(fd: RawFd) -> std::io::Result<()> {
    // SAFETY: fcntl on a descriptor this process owns; no memory is passed.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    // SAFETY: as above.
    if flags < 0 || unsafe { libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK) } < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pipe(keep: Keep) -> Pipe {
        Pipe {
            file: None,
            keep,
            bytes: Vec::new(),
            overflowed: false,
        }
    }

    #[test]
    fn head_keeps_the_start_and_flags_overflow() {
        let mut p = pipe(Keep::Head(4));
        p.keep(b"abc");
        assert!(!p.overflowed);
        p.keep(b"def");
        assert_eq!(p.bytes, b"abcd");
        assert!(p.overflowed);
    }

    #[test]
    fn tail_keeps_the_end() {
        let mut p = pipe(Keep::Tail(4));
        p.keep(b"abc");
        p.keep(b"defgh");
        assert_eq!(p.bytes, b"efgh");
    }
}
