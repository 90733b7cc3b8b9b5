//! The connection an upload goes over, kept readable after the index stops reading.
//!
//! An index may answer an upload before it has read the body (401/403 refused, 405, 413
//! too large) and close the connection. Writing the rest of the body then fails (broken
//! pipe, connection reset) though the answer is waiting in the socket, and ureq gives up
//! on that write error without reading it: its `send_body` returns what
//! `transmit_output` returns (ureq 3.5 `run.rs`, `connection.transmit_output(..)?`).
//!
//! [`EarlyAnswer`] sits on the TCP connection, below TLS: it takes such a write error as
//! the end of sending, drops what is written after it, and lets ureq go on to read the
//! response. When no response came, reading gives back the write error, so the caller
//! sees what it saw before. Below TLS, because rustls retries unsent records before it
//! reads: above it, the same write error would come back on the read.

use std::io;

use ureq::unversioned::transport::{
    Buffers, ConnectProxyConnector, ConnectionDetails, Connector, NextTimeout, RustlsConnector,
    TcpConnector, Transport,
};
use ureq::Error;

/// ureq's default connector chain (CONNECT proxy, TCP, rustls) with [`EarlyAnswer`]
/// between TCP and TLS.
pub fn connector() -> impl Connector {
    ().chain(ConnectProxyConnector::default())
        .chain(TcpConnector::default())
        .chain(EarlyAnswerConnector)
        .chain(RustlsConnector::default())
}

/// Wraps the connection made before it in an [`EarlyAnswer`].
#[derive(Debug)]
struct EarlyAnswerConnector;

impl<In: Transport> Connector<In> for EarlyAnswerConnector {
    type Out = EarlyAnswer<In>;

    fn connect(
        &self,
        _: &ConnectionDetails,
        chained: Option<In>,
    ) -> Result<Option<Self::Out>, Error> {
        Ok(chained.map(EarlyAnswer::new))
    }
}

/// A connection that, once the peer has stopped reading, still reads what it sent.
#[derive(Debug)]
pub struct EarlyAnswer<T> {
    inner: T,
    /// Why writing failed: the peer closed or reset the connection.
    write_error: Option<io::Error>,
    /// Whether anything was read since.
    answered: bool,
}

impl<T: Transport> EarlyAnswer<T> {
    fn new(inner: T) -> EarlyAnswer<T> {
        EarlyAnswer {
            inner,
            write_error: None,
            answered: false,
        }
    }
}

/// Whether a write failed because the peer has gone, which may have answered first.
fn peer_gone(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::BrokenPipe
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
    )
}

/// The same error again (`io::Error` is not `Clone`).
fn again(e: &io::Error) -> io::Error {
    match e.raw_os_error() {
        Some(code) => io::Error::from_raw_os_error(code),
        None => io::Error::new(e.kind(), e.to_string()),
    }
}

impl<T: Transport> Transport for EarlyAnswer<T> {
    fn buffers(&mut self) -> &mut dyn Buffers {
        self.inner.buffers()
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), Error> {
        if self.write_error.is_some() {
            // Nobody reads it: the rest of the request is dropped.
            return Ok(());
        }
        match self.inner.transmit_output(amount, timeout) {
            Err(Error::Io(e)) if peer_gone(&e) => {
                self.write_error = Some(e);
                Ok(())
            }
            other => other,
        }
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, Error> {
        let read = self.inner.await_input(timeout);
        let Some(write_error) = &self.write_error else {
            return read;
        };
        match read {
            Ok(true) => {
                self.answered = true;
                Ok(true)
            }
            // The end of an answer: ureq decides whether it is complete.
            other if self.answered => other,
            // No answer: the failed write is what went wrong.
            _ => Err(Error::Io(again(write_error))),
        }
    }

    fn is_open(&mut self) -> bool {
        self.write_error.is_none() && self.inner.is_open()
    }

    fn is_tls(&self) -> bool {
        self.inner.is_tls()
    }
}

#[cfg(test)]
mod tests {
    use ureq::unversioned::transport::LazyBuffers;

    use super::*;

    /// A connection whose writes fail with `write` and whose reads give `input` once,
    /// then `read_end`.
    #[derive(Debug)]
    struct Fake {
        buffers: LazyBuffers,
        write: io::ErrorKind,
        input: Vec<u8>,
        read_end: Option<io::ErrorKind>,
        writes: usize,
    }

    impl Transport for Fake {
        fn buffers(&mut self) -> &mut dyn Buffers {
            &mut self.buffers
        }
        fn transmit_output(&mut self, _: usize, _: NextTimeout) -> Result<(), Error> {
            self.writes += 1;
            Err(Error::Io(io::Error::from(self.write)))
        }
        fn await_input(&mut self, _: NextTimeout) -> Result<bool, Error> {
            if !self.input.is_empty() {
                let input = std::mem::take(&mut self.input);
                self.buffers.input_append_buf()[..input.len()].copy_from_slice(&input);
                self.buffers.input_appended(input.len());
                return Ok(true);
            }
            match self.read_end {
                Some(kind) => Err(Error::Io(io::Error::from(kind))),
                None => Ok(false),
            }
        }
        fn is_open(&mut self) -> bool {
            true
        }
    }

    fn early_answer(
        write: io::ErrorKind,
        input: &[u8],
        read_end: Option<io::ErrorKind>,
    ) -> EarlyAnswer<Fake> {
        EarlyAnswer::new(Fake {
            buffers: LazyBuffers::new(1024, 1024),
            write,
            input: input.to_vec(),
            read_end,
            writes: 0,
        })
    }

    fn timeout() -> NextTimeout {
        NextTimeout::default()
    }

    #[test]
    fn the_answer_after_a_broken_pipe_is_read() {
        let mut t = early_answer(
            io::ErrorKind::BrokenPipe,
            b"HTTP/1.1 405 Method Not Allowed\r\n\r\n",
            Some(io::ErrorKind::ConnectionReset),
        );
        assert!(t.transmit_output(10, timeout()).is_ok());
        assert!(t.transmit_output(10, timeout()).is_ok());
        assert_eq!(t.inner.writes, 1, "nothing is written after the failure");
        assert!(!t.is_open());
        assert!(t.await_input(timeout()).unwrap());
        assert!(t.buffers().input().starts_with(b"HTTP/1.1 405"));
        let end = t.await_input(timeout()).unwrap_err();
        assert!(matches!(end, Error::Io(e) if e.kind() == io::ErrorKind::ConnectionReset));
    }

    #[test]
    fn without_an_answer_the_write_error_stands() {
        for read_end in [None, Some(io::ErrorKind::ConnectionReset)] {
            let mut t = early_answer(io::ErrorKind::ConnectionReset, b"", read_end);
            assert!(t.transmit_output(10, timeout()).is_ok());
            let e = t.await_input(timeout()).unwrap_err();
            assert!(matches!(e, Error::Io(e) if e.kind() == io::ErrorKind::ConnectionReset));
        }
        let mut t = early_answer(io::ErrorKind::BrokenPipe, b"", None);
        assert!(t.transmit_output(10, timeout()).is_ok());
        let e = t.await_input(timeout()).unwrap_err();
        assert!(matches!(e, Error::Io(e) if e.kind() == io::ErrorKind::BrokenPipe));
    }

    #[test]
    fn other_write_errors_pass() {
        let mut t = early_answer(io::ErrorKind::PermissionDenied, b"", None);
        let e = t.transmit_output(10, timeout()).unwrap_err();
        assert!(matches!(e, Error::Io(e) if e.kind() == io::ErrorKind::PermissionDenied));
        assert!(t.is_open());
    }
}
