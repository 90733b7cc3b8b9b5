//! wheelwright: a static verifier for Python wheels.

pub mod abi3;
pub mod archive;
pub mod audit;
pub mod check;
pub mod check_lib;
pub mod cli;
pub mod diff;
pub mod dist_info;
pub mod elf;
pub mod elf_rules;
pub mod error;
pub mod filename;
pub mod leaks;
pub mod metadata;
pub mod policy;
pub mod publish;
pub mod record;
pub mod report;
pub mod sdist;
pub mod strip;
pub mod symbols;
