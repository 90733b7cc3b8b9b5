# The functions `mkLib pkgs` adds, for the README's function table, which
# checks/offline/options_doc.py makes from this list and lib/data/options.nix
# (the options of each: those of its build kinds, and for targetPackages its
# own as well). Each has its name, the build kinds whose options it takes,
# the options it sets itself (not the caller), and what it returns.
[
  {
    name = "buildWheel";
    sets = [];
    kinds = ["wheel"];
    result = "`$out/*.whl`: one repaired, verified wheel (one per interpreter if `pythonVersions` is set)";
  }
  {
    name = "buildCdylib";
    sets = [];
    kinds = ["cdylib"];
    result = "`$out/lib/lib<name>.so`, plus `$out/include/<name>.h` when the crate has a `cbindgen.toml`";
  }
  {
    name = "buildSdist";
    sets = [];
    kinds = ["sdist"];
    result = "`$out/<name>-<version>.tar.gz`: `maturin sdist`, offline, reproducible, verified by `wheelwright check-sdist`";
  }
  {
    name = "targetPackages";
    # each output's, from `targets`
    sets = ["target"];
    kinds = ["wheel" "cdylib" "sdist"];
    result = "`{ wheel-<arch> = ...; cdylib-<arch> = ...; }`, and with wheels `sdist`, `dist` (every wheel and the sdist in one directory) and `publish` (`nix run .#publish` uploads `dist`)";
  }
]
