//! The one error type that makes a wheel unusable (exit status 2).

use std::fmt;

/// An input that cannot be judged at all: what went wrong, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
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

impl fmt::Display for Unusable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.what, self.fix)
    }
}

impl std::error::Error for Unusable {}
