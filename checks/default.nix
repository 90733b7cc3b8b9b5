# `nix flake check`: every example for every glibc target (each derivation
# verifies its own output), the native wheel imported and called by a Python,
# the native C library called from C, and the project's Rust crates tested,
# linted and format-checked.
{
  pkgs,
  wheelwright,
  crateChecks,
}: let
  inherit (pkgs) lib;
  cpu = pkgs.stdenv.hostPlatform.parsed.cpu.name;
  nativeArch = wheelwright.targets."${cpu}-unknown-linux-gnu".outputArch;

  wheels = wheelwright.targetPackages {src = ../examples/pyo3-abi3;};
  cdylibs = wheelwright.targetPackages {
    src = ../examples/cdylib;
    wheel = false;
    cdylib = true;
  };
  examples =
    lib.mapAttrs' (name: lib.nameValuePair "pyo3-abi3-${name}") wheels
    // lib.mapAttrs' (name: lib.nameValuePair "cdylib-example-${name}") cdylibs;

  nativeWheel = wheels."wheel-${nativeArch}";
  nativeCdylib = cdylibs."cdylib-${nativeArch}";
in
  examples
  // {
    # Unzipping is all installing an abi3 wheel without dependencies takes.
    pyo3-abi3-import = pkgs.runCommand "pyo3-abi3-import-${nativeArch}" {nativeBuildInputs = [pkgs.python3];} ''
      python3 -m zipfile -e ${nativeWheel}/*.whl site
      PYTHONPATH=$PWD/site python3 ${../examples/pyo3-abi3/tests/smoke.py} ${cpu}
      touch $out
    '';
    cdylib-example-call = pkgs.runCommand "cdylib-example-call-${nativeArch}" {nativeBuildInputs = [pkgs.stdenv.cc];} ''
      cc -std=c99 -o smoke ${../examples/cdylib/tests/smoke.c} -I${nativeCdylib}/include -L${nativeCdylib}/lib -lwwcalc
      LD_LIBRARY_PATH=${nativeCdylib}/lib ./smoke ${cpu}-linux-gnu
      touch $out
    '';
  }
  // crateChecks "verifier" ../verifier
  // crateChecks "pyo3-abi3" ../examples/pyo3-abi3
  // crateChecks "cdylib-example" ../examples/cdylib
