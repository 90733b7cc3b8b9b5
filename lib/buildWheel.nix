# Builds one repaired, verified wheel for one target. `$out` holds the wheel
# (one per interpreter when pythonVersions is set).
#
# Arguments (all but src and target optional):
#   src               the project's root directory (the crate's, or the one
#                     with pyproject.toml)
#   target            Rust target triple, e.g. "aarch64-unknown-linux-gnu"
#   policy            "manylinux_2_28", "musllinux_1_2", ... (default: the
#                     target's floor, see `wheelwright.lib.targets`)
#   rustVersion       stable Rust release; default the crate's
#                     rust-toolchain(.toml) channel, else the newest
#   manifest          package Cargo.toml relative to src (default: the one
#                     maturin finds from pyproject.toml, else Cargo.toml)
#   features, noDefaultFeatures, cargoExtraArgs, maturinExtraArgs
#   pythonVersions    e.g. [ "3.12" "3.14t" ]: one wheel each (CPython 3.9
#                     to 3.14 and 3.14t, nix/pythons.nix); null for one
#                     abi3 wheel of an abi3 crate, or nix/pythons.nix's default
#                     matrix for a crate without abi3
#   sourceDateEpoch   archive timestamps (default 1980-01-01)
#   filterSource      drop target/, result, .git and Nix files from src
#                     (default true)
#   tools             override maturin, auditwheel, zig, cargo-zigbuild,
#                     cbindgen or verifier
#   nativeBuildInputs build tools the crate's build scripts run, e.g.
#                     [ pkgs.nasm pkgs.autoconf ] (default none)
#   writableVendoredSources
#                     build from a writable copy of the vendored crates, for
#                     a build script that writes into its own sources
#                     (default false)
{buildArtifact}: args: buildArtifact (args // {kind = "wheel";})
