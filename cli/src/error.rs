//! The one error type that makes a wheel unusable (exit status 2).

use thiserror::Error;

/// An input that cannot be judged at all: what went wrong, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{what} ({fix})")]
pub struct Unusable {
    pub what: String,
    pub fix: &'static str,
}

impl Unusable {
    pub fn new(what: impl Into<String>, fix: &'static str) -> Self {
        Unusable {
            what: what.into(),
            fix,
        }
    }
}
