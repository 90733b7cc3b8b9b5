# `nix flake check`: every example for every glibc target and the example's
# sdist (each derivation verifies its own output), the native wheel imported and called by a Python,
# the native C library called from C, and the project's Rust crates tested,
# linted and format-checked (the CLI's tests on x86_64-linux only).
{
  pkgs,
  wheelwright,
  crateChecks,
}: let
  inherit (pkgs) lib;
  cpu = pkgs.stdenv.hostPlatform.parsed.cpu.name;
  nativeArch = wheelwright.targets."${cpu}-unknown-linux-gnu".outputArch;

  # every wheel, the sdist (which its builder verifies) and dist; publish is
  # a program to run, not a check
  wheels = builtins.removeAttrs (wheelwright.targetPackages {src = ../examples/pyo3-abi3;}) ["publish"];
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
  // crateChecks "cli" {
    root = ../cli;
    env = {
      # Fuzzing is the offline suite's job, not a flake check's.
      WW_SKIP_FUZZ = "1";
      # stdenv links everything with `-rpath $out/lib`, which would give the
      # tests' ELF fixtures a /nix/store RUNPATH that the CLI's check rejects.
      NIX_NO_SELF_RPATH = "1";
    };
    # The tests build ELF fixtures with the host cc and expect x86_64 answers.
    test = cpu == "x86_64";
  }
  // crateChecks "pyo3-abi3" {
    root = ../examples/pyo3-abi3;
    # pyo3's build script needs an interpreter when cargo, not maturin, runs it.
    nativeBuildInputs = [pkgs.python3];
  }
  // crateChecks "cdylib-example" {root = ../examples/cdylib;}
