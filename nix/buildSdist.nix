# Builds the project's source distribution: `$out/<name>-<version>.tar.gz`,
# made by `maturin sdist` (offline, on the vendored crates), reproducible, and
# verified (`wheelwright check-sdist`: PEP 625 name, one top directory,
# PKG-INFO, pyproject.toml, Cargo.toml and Cargo.lock).
#
# Arguments: the options of lib/data/options.nix whose builds include "sdist"
# (`src` required); the options that only concern a target (policy,
# features, pythonVersions, ...) are ignored.
{buildArtifact}: args: buildArtifact (args // {kind = "sdist";})
