# The manylinux and musllinux policies auditwheel defines, by family: each
# one's name (PEP 600 / PEP 656 form), legacy aliases and the architectures it
# covers. Read from the CLI's copy of auditwheel's policy JSON (cli/policy/),
# so the plan and the verifier know the same policies.
let
  read = file:
    map (p: {
      inherit (p) name aliases;
      arches = builtins.attrNames p.symbol_versions;
    }) (builtins.filter (p: p.name != "linux") (builtins.fromJSON (builtins.readFile file)));
in {
  manylinux = read ../../cli/policy/manylinux-policy.json;
  musllinux = read ../../cli/policy/musllinux-policy.json;
}
