# Builds one repaired, verified wheel for one target. `$out` holds the wheel
# (one per interpreter when pythonVersions is set).
#
# Arguments (all but src and target optional):
#   src               the crate's root directory (with Cargo.lock)
#   target            Rust target triple, e.g. "aarch64-unknown-linux-gnu"
#   policy            "manylinux_2_28", "musllinux_1_2", ... (default: the
#                     target's floor, see `wheelwright.lib.targets`)
#   rustVersion       stable Rust release; default the crate's
#                     rust-toolchain(.toml) channel, else the newest
#   manifest          package Cargo.toml relative to src (workspaces)
#   features, noDefaultFeatures, cargoExtraArgs, maturinExtraArgs
#   pythonVersions    null for one abi3 wheel, or e.g. [ "3.12" "3.13t" ]
#   sourceDateEpoch   archive timestamps (default 1980-01-01)
#   filterSource      drop target/, result, .git and Nix files from src
#                     (default true)
#   tools             override maturin, auditwheel, zig, cargo-zigbuild,
#                     cbindgen or verifier
{buildArtifact}: args: buildArtifact (args // {kind = "wheel";})
