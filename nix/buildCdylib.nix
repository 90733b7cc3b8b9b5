# Builds one C-ABI shared library for one target: `$out/lib/lib<name>.so`,
# linked by zig against the policy's glibc (or musl), and
# `$out/include/<name>.h` when the crate has a cbindgen.toml.
#
# Arguments: the options of lib/data/options.nix whose builds include "cdylib"
# (`src` and `target` required); the policy only sets the glibc floor (e.g.
# "manylinux_2_17" links against glibc 2.17).
{buildArtifact}: args: buildArtifact (args // {kind = "cdylib";})
