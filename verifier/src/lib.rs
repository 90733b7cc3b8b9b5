//! wheelwright: a static verifier for Python wheels.

pub mod abi3;
pub mod archive;
pub mod audit;
pub mod check;
pub mod cli;
pub mod diff;
pub mod elf;
pub mod error;
pub mod filename;
pub mod leaks;
pub mod metadata;
pub mod policy;
pub mod record;
pub mod report;

/// SHA-256 of a byte slice.
pub fn digest(data: &[u8]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    Sha256::digest(data).into()
}
