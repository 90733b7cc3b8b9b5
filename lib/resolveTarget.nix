# Looks up a Rust target triple in the target table.
#
# Arguments:
#   targets  the target table (lib/data/targets.nix)
#   triple   a Rust target triple, e.g. "aarch64-unknown-linux-gnu"
#
# Returns the table entry with `triple` added, or fails evaluation with the
# list of supported triples.
{targets}: triple:
if builtins.isString triple && targets ? ${triple}
then targets.${triple} // {inherit triple;}
else
  throw "wheelwright: unknown target '${toString triple}'; supported targets: ${
    builtins.concatStringsSep ", " (builtins.attrNames targets)
  }"
