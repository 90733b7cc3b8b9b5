# Reads what the build needs from a crate's sources, at evaluation time.
#
# Arguments:
#   src       the crate (or workspace) root: a path or a filtered source
#   manifest  the package's Cargo.toml, relative to src (default "Cargo.toml")
#
# Returns { name; version; libName; crateTypes; hasCbindgenConfig;
# toolchainChannel; manifest; }. Fails evaluation when Cargo.toml, [package] or
# Cargo.lock is missing, or when the library is not built as a cdylib: a wheel's
# extension module and a C library are both cdylibs.
{
  src,
  manifest ? "Cargo.toml",
}: let
  root = toString src;
  at = rel: src + "/${rel}";
  manifestDir = dirOf manifest;
  cargoToml =
    if builtins.pathExists (at manifest)
    then builtins.fromTOML (builtins.readFile (at manifest))
    else throw "wheelwright: ${root} has no ${manifest}; pass the crate's root directory as src (or set manifest to the package's Cargo.toml)";
  package =
    cargoToml.package
    or (throw "wheelwright: ${manifest} has no [package] table (a virtual workspace?); set manifest to the Cargo.toml of the package to build, e.g. manifest = \"crates/py/Cargo.toml\"");
  libSection = cargoToml.lib or {};
  crateTypes = libSection.crate-type or ["lib"];
  libName = libSection.name or (builtins.replaceStrings ["-"] ["_"] package.name);

  toolchainFile =
    if builtins.pathExists (at "rust-toolchain.toml")
    then builtins.readFile (at "rust-toolchain.toml")
    else if builtins.pathExists (at "rust-toolchain")
    then builtins.readFile (at "rust-toolchain")
    else null;
  legacyChannel = builtins.match "[[:space:]]*([^[:space:]\\[]+)[[:space:]]*" toolchainFile;
  toolchainChannel =
    if toolchainFile == null
    then null
    else if legacyChannel != null
    then builtins.head legacyChannel
    else (builtins.fromTOML toolchainFile).toolchain.channel or null;
in
  if !(builtins.pathExists (at "Cargo.lock"))
  then throw "wheelwright: ${root} has no Cargo.lock; run `cargo generate-lockfile` and commit it (in a flake, `git add Cargo.lock`: untracked files are invisible to Nix)"
  else if !(builtins.elem "cdylib" crateTypes)
  then throw "wheelwright: crate '${package.name}' builds crate-type [${builtins.concatStringsSep ", " crateTypes}] without cdylib; add `[lib] crate-type = [\"cdylib\"]` to ${manifest}"
  else {
    inherit (package) name;
    version = package.version or "0.0.0";
    inherit libName crateTypes toolchainChannel manifest;
    hasCbindgenConfig = builtins.pathExists (at (
      if manifestDir == "."
      then "cbindgen.toml"
      else "${manifestDir}/cbindgen.toml"
    ));
  }
