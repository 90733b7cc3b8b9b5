# Chooses the stable Rust release to build with.
#
# Arguments:
#   available         the stable versions rust-overlay knows
#                     (`attrNames rust-bin.stable`, "latest" included or not)
#   requested         a version ("1.85.0", "1.85", "latest"), or null
#   toolchainChannel  the crate's rust-toolchain(.toml) channel, or null
#   rustVersion       the crate's `rust-version` (its minimum), or null
#
# `requested` wins over the crate's toolchain file; with neither, the newest
# stable release. Returns a full version string such as "1.85.0", or fails
# evaluation naming the versions that exist.
{
  available,
  requested ? null,
  toolchainChannel ? null,
  rustVersion ? null,
}: let
  versions = builtins.filter (v: builtins.match "[0-9]+\\.[0-9]+\\.[0-9]+" v != null) available;
  newestOf = vs:
    builtins.foldl' (a: b:
      if a == null || builtins.compareVersions b a > 0
      then b
      else a)
    null
    vs;
  newest = newestOf versions;
  wanted =
    if requested != null
    then requested
    else if toolchainChannel != null
    then toolchainChannel
    else "latest";
  from =
    if requested != null
    then "rustVersion"
    else "the crate's rust-toolchain file";
  range = "${builtins.head (builtins.sort (a: b: builtins.compareVersions a b < 0) versions)} to ${newest}";
  fail = why: throw "wheelwright: ${from} asks for Rust '${wanted}', ${why}";
  matchingMinor = builtins.filter (v: builtins.match "${builtins.replaceStrings ["."] ["\\."] wanted}\\.[0-9]+" v != null) versions;
  chosen =
    if versions == []
    then throw "wheelwright: rust-overlay lists no stable Rust releases"
    else if wanted == "latest" || wanted == "stable"
    then newest
    else if builtins.match "[0-9]+\\.[0-9]+\\.[0-9]+" wanted != null
    then
      if builtins.elem wanted versions
      then wanted
      else fail "which the pinned rust-overlay does not have (it has ${range}); pick one of those or update the rust-overlay input"
    else if builtins.match "[0-9]+\\.[0-9]+" wanted != null
    then
      if matchingMinor != []
      then newestOf matchingMinor
      else fail "which the pinned rust-overlay does not have (it has ${range}); pick one of those or update the rust-overlay input"
    else fail "but only stable releases are supported (e.g. \"1.85.0\"); pin one with rustVersion or in rust-toolchain.toml";
in
  if rustVersion != null && builtins.compareVersions chosen rustVersion < 0
  then
    throw "wheelwright: the crate needs Rust ${rustVersion} or newer (its rust-version), but the build would use ${chosen}${
      if requested != null || toolchainChannel != null
      then " (from ${from})"
      else ""
    }; ask for a newer one with rustVersion, or update the rust-overlay input"
  else chosen
