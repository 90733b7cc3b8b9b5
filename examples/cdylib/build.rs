//! Per-target decisions for the cdylib.
//!
//! A build script is compiled for and run on the *host*, so `cfg!(target_os = ...)` or
//! `#[cfg(...)]` here describe the build machine, not the target being cross-compiled
//! for. Cargo passes the target's configuration as `CARGO_CFG_*` environment variables;
//! those are the only correct source for target decisions in build.rs.

use std::env;
use std::fs;
use std::path::Path;

fn target_cfg(key: &str) -> String {
    // Cargo always sets these for build scripts (ENV may be empty, e.g. on macOS).
    env::var(format!("CARGO_CFG_TARGET_{key}")).unwrap_or_default()
}

fn main() {
    let arch = target_cfg("ARCH");
    let os = target_cfg("OS");
    let target_env = target_cfg("ENV");

    let desc = if target_env.is_empty() {
        format!("{arch}-{os}")
    } else {
        format!("{arch}-{os}-{target_env}")
    };
    let pointer_width: u32 = target_cfg("POINTER_WIDTH")
        .parse()
        .expect("CARGO_CFG_TARGET_POINTER_WIDTH is a number");
    let big_endian = target_cfg("ENDIAN") == "big";

    // Typed constants rather than `rustc-env` strings, which consts could not parse.
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("target_info.rs");
    fs::write(
        out,
        format!(
            "pub const TARGET_DESC: &core::ffi::CStr = c{desc:?};\n\
             pub const POINTER_WIDTH: u32 = {pointer_width};\n\
             pub const BIG_ENDIAN: bool = {big_endian};\n"
        ),
    )
    .expect("write target_info.rs");

    // ELF shared objects get a SONAME so consumers record a stable NEEDED entry;
    // Mach-O and PE name their libraries differently, so only do it for ELF systems.
    if matches!(
        os.as_str(),
        "linux" | "android" | "freebsd" | "netbsd" | "openbsd"
    ) {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libwwcalc.so");
    }

    println!("cargo:rerun-if-changed=build.rs");
}
