# Bad configurations: each `value` must fail evaluation with an error that
# contains `message`. suite.py evaluates them one by one and reads the error.
let
  ww = import ../../lib;
  pyo3 = ../../examples/pyo3-abi3;
  wheel = args:
    (ww.planBuild ({
        kind = "wheel";
        src = pyo3;
        target = "x86_64-unknown-linux-gnu";
      }
      // args))
    .env;
in {
  noInterpreterFits = {
    value = ww.resolvePythonVersions {
      crate = {
        name = "old-pyo3";
        requiresPython = ">=3.14";
        pyo3FfiVersion = "0.22.6";
      };
      abi3 = "per-interpreter";
    };
    message = "wheelwright: crate 'old-pyo3' needs a wheel per interpreter (pyo3's abi3 feature is off), but no CPython of the default matrix 3.11, 3.12, 3.13, 3.14 fits requires-python '>=3.14' and pyo3-ffi 0.22.6 (at most 3.13); set pythonVersions";
  };
  rustOlderThanRustVersion = {
    value = ww.resolveRustVersion {
      available = ["1.85.0" "1.88.0" "latest"];
      requested = "1.85";
      rustVersion = "1.88";
    };
    message = "wheelwright: the crate needs Rust 1.88 or newer (its rust-version), but the build would use 1.85.0 (from rustVersion); ask for a newer one with rustVersion, or update the rust-overlay input";
  };
  manifestHidesRootPyproject = {
    value = wheel {
      src = ./fixtures/pyproject-layout;
      manifest = "rust/py/Cargo.toml";
    };
    message = "wheelwright: manifest = \"rust/py/Cargo.toml\" hides pyproject.toml at the root from maturin, which would read no pyproject.toml instead and build another package; leave manifest unset and name the crate in the root pyproject.toml's [tool.maturin] manifest-path";
  };
  unknownTriple = {
    value = wheel {target = "x86_64-pc-windows-msvc";};
    message = "wheelwright: unknown target 'x86_64-pc-windows-msvc'; supported targets: aarch64-unknown-linux-gnu, aarch64-unknown-linux-musl, armv7-unknown-linux-gnueabihf,";
  };
  policyBelowFloor = {
    value = wheel {
      target = "powerpc64le-unknown-linux-gnu";
      policy = "manylinux2014";
    };
    message = "wheelwright: policy 'manylinux2014' for powerpc64le-unknown-linux-gnu: below the floor manylinux_2_34, the oldest glibc that ppc64le wheels can honour (zig links ppc64le against glibc 2.24 to 2.31 with unversioned references to __*ieee128 functions that only glibc 2.32 has; from 2.34 they carry their GLIBC_2.32 version); use manylinux_2_34 or newer, or leave policy unset";
  };
  riscv64BelowFloor = {
    value = wheel {
      target = "riscv64gc-unknown-linux-gnu";
      policy = "manylinux_2_28";
    };
    message = "wheelwright: policy 'manylinux_2_28' for riscv64gc-unknown-linux-gnu: below the floor manylinux_2_31, the oldest glibc that riscv64 wheels can honour (glibc 2.31 is the first riscv64 glibc that auditwheel's policies know); use manylinux_2_31 or newer, or leave policy unset";
  };
  musl32BitWithoutTime64 = {
    value = wheel {
      target = "armv7-unknown-linux-musleabihf";
      policy = "musllinux_1_1";
    };
    message = "wheelwright: policy 'musllinux_1_1' for armv7-unknown-linux-musleabihf: below the floor musllinux_1_2, the oldest musl that armv7l wheels can honour (zig compiles C code against musl 1.2, whose 32-bit targets have a 64-bit time_t and call __*time64 symbols (e.g. __clock_gettime64) that musl 1.1 lacks); use musllinux_1_2 or newer, or leave policy unset";
  };
  policyOfOtherLibc = {
    value = wheel {policy = "musllinux_1_2";};
    message = "wheelwright: policy 'musllinux_1_2' for x86_64-unknown-linux-gnu: x86_64-unknown-linux-gnu links glibc, so its wheels need a manylinux_* policy";
  };
  unknownPolicy = {
    value = wheel {policy = "manylinux_2_18";};
    message = "wheelwright: policy 'manylinux_2_18' for x86_64-unknown-linux-gnu: unknown policy; use one of manylinux_2_5, manylinux_2_12, manylinux_2_17,";
  };
  policyForNoTarget = {
    value = wheel {policy = {"aarch64-unknown-linux-gun" = "manylinux_2_28";};};
    message = "wheelwright: policy names 'aarch64-unknown-linux-gun', which is neither glibc, musl nor a target triple; name a target of lib/data/targets.nix, or its libc";
  };
  policyNotAString = {
    value = wheel {policy = 2014;};
    message = "wheelwright: policy must be a string or attribute set of strings, e.g. policy = { glibc = \"manylinux_2_28\"; \"powerpc64le-unknown-linux-gnu\" = \"manylinux_2_34\"; }";
  };
  cdylibOfCrateWithoutCdylib = {
    value =
      (ww.planBuild {
        kind = "cdylib";
        src = ./fixtures/rlib-only;
        target = "x86_64-unknown-linux-gnu";
      })
      .env;
    message = "wheelwright: crate 'rlib-only' builds crate-type [lib] without cdylib; add `[lib] crate-type = [\"cdylib\"]` to Cargo.toml";
  };
  wheelWithoutLibrary = {
    value = wheel {src = ./fixtures/rlib-only;};
    message = "wheelwright: crate 'rlib-only' has neither a library nor a binary target (next to Cargo.toml: src/lib.rs or [lib] for an extension module, src/main.rs or [[bin]] for a program in a wheel); add the one it should build";
  };
  programWithPythonVersions = {
    value = wheel {
      src = ./fixtures/bin-cli;
      pythonVersions = ["3.12"];
    };
    message = "wheelwright: pythonVersions apply to extension modules, and crate 'ww-crc' is a program (bin bindings), whose one wheel per target runs under any Python; leave pythonVersions unset";
  };
  programWithPyo3 = {
    value = wheel {src = ./fixtures/program-with-pyo3;};
    message = "wheelwright: crate 'program-with-pyo3' is built as a program (bin bindings) but depends on pyo3: a program that embeds Python is built per interpreter, which wheelwright does not do; drop pyo3, or give the crate a library for an extension module";
  };
  uniffiWithoutBindgen = {
    value = wheel {src = ./fixtures/uniffi-without-bindgen;};
    message = "wheelwright: crate 'uniffi-bindings' has uniffi bindings but no uniffi-bindgen program, which maturin runs to write the Python module; add one to the crate, as uniffi's documentation shows: a file uniffi-bindgen.rs with `fn main() { uniffi::uniffi_bindgen_main() }`, and in Cargo.toml `[[bin]] name = \"uniffi-bindgen\"`, `path = \"uniffi-bindgen.rs\"`, `required-features = [\"bindgen\"]` with `[features] bindgen = [\"uniffi/cli\"]`";
  };
  targetLibraryUnknown = {
    value = wheel {targetLibraries = ["openssl" "libfoo"];};
    message = "wheelwright: targetLibraries names 'libfoo', which wheelwright does not build; it builds bzip2, libffi, openssl, python, sqlite, unixodbc, zlib, zstd (lib/data/targetLibraries.json)";
  };
  # a shared object goes into a wheel by its repair; a C library has none
  sharedLibraryInCdylib = {
    value =
      (ww.planBuild {
        kind = "cdylib";
        src = ../../examples/cdylib;
        target = "x86_64-unknown-linux-gnu";
        targetLibraries = ["unixodbc"];
      })
      .env;
    message = "wheelwright: the target library unixodbc is a shared object (libodbc.so.2), which a wheel's repair bundles and a C library (cdylib) cannot; build crate 'wheelwright-example-cdylib' as a wheel, or ship libodbc.so.2 beside the C library";
  };
  # the target's CPython headers are one CPython's, not free-threaded
  pythonHeadersForOtherInterpreters = {
    value = wheel {
      src = ./fixtures/abi3-and-abi3t;
      targetLibraries = ["python"];
      pythonVersions = ["3.14t"];
    };
    message = "wheelwright: crate 'ww-abi3-abi3t' compiles C against the target's CPython headers (the target library python: CPython 3.13, not free-threaded), which serve its abi3 wheel alone, and it would build wheels for 3.14t; set pythonVersions = [ ] to build its abi3 wheel alone";
  };
  pythonHeadersAbi3tAlone = {
    value = wheel {
      src = ./fixtures/abi3t;
      targetLibraries = ["python"];
      pythonVersions = [];
    };
    message = "wheelwright: crate 'ww-abi3t' compiles C against the target's CPython headers (the target library python: CPython 3.13, not free-threaded), which serve its abi3 wheel alone, and it would build its abi3t wheel alone (pyo3's abi3t feature without abi3), for free-threaded CPython too; turn on pyo3's abi3 feature";
  };
  pythonHeadersPerInterpreter = {
    value = wheel {
      src = ./fixtures/per-interpreter;
      targetLibraries = ["python"];
    };
    message = "wheelwright: crate 'ww-per-interpreter' compiles C against the target's CPython headers (the target library python: CPython 3.13, not free-threaded), which serve its abi3 wheel alone, and it would build wheels for each interpreter (pyo3's abi3 feature is off); turn on pyo3's abi3 feature";
  };
  pythonHeadersOnMusl = {
    value = wheel {
      target = "aarch64-unknown-linux-musl";
      targetLibraries = ["python"];
    };
    message = "wheelwright: the target library python (asked for by targetLibraries) is Debian's build for glibc, and aarch64-unknown-linux-musl is a musl target; build crate 'wheelwright-example-pyo3' for glibc targets";
  };
  uniffiBindgenOutOfReach = {
    value = wheel {src = ./fixtures/uniffi-root-package;};
    message = "wheelwright: crate 'ww-uniffi-root-package' has uniffi bindings, and maturin would not find its uniffi-bindgen program: maturin runs `cargo run --bin uniffi-bindgen` in the workspace root, where cargo looks only in the root's own package 'ws-root', which has none; list the package with the program in [workspace] default-members in Cargo.toml";
  };
  uniffiBindgenNotInCrate = {
    value = wheel {src = ./fixtures/uniffi-bindgen-in-root;};
    message = "wheelwright: crate 'ww-uniffi-bindgen-in-root' has uniffi bindings, and maturin would not find its uniffi-bindgen program: the workspace root's package 'ws-root' has one, so maturin runs `cargo run --bin uniffi-bindgen --manifest-path py/Cargo.toml`, and crate 'ww-uniffi-bindgen-in-root' has none; give it the program too";
  };
  buildRequirementsLockStale = {
    value = wheel {src = ./fixtures/stale-build-lock;};
    message = "wheelwright: build-requirements.lock was written for [build-system] requires = [\"maturin>=1.9.4,<2\",\"six==1.16.0\"], and pyproject.toml now says [\"maturin>=1.9.4,<2\",\"six==1.17.0\"]; write it again with wheelwright's nix/lock-build-requirements.py";
  };
  cffiLockWithoutCffi = {
    value = wheel {src = ./fixtures/cffi-lock-without-cffi;};
    message = "wheelwright: crate 'cffi-lock-without-cffi' has cffi bindings, whose module maturin writes with cffi, and build-requirements.lock gives the build's Python no cffi; add cffi to [build-system] requires and write the lock again";
  };
  bindingsUnknown = {
    value = wheel {src = ./fixtures/plain-lib;};
    message = "wheelwright: crate 'plain-lib' neither depends on pyo3 nor builds a cdylib or a program, so maturin cannot tell what to build; add pyo3 for an extension module, `[lib] crate-type = [\"cdylib\"]` for a cffi module, or a binary target, or set [tool.maturin] bindings";
  };
  cffiPythonVersions = {
    value = wheel {
      src = ./fixtures/cffi-lib;
      pythonVersions = ["3.12"];
    };
    message = "wheelwright: pythonVersions apply to pyo3 extension modules, and crate 'ww-cffi' has cffi bindings, whose one wheel per target loads in any CPython; leave pythonVersions unset";
  };
  missingCargoLock = {
    value = wheel {src = ./fixtures/no-lock;};
    message = "fixtures/no-lock; run `cargo generate-lockfile` in the crate's workspace root and commit it";
  };
  # A file that is not valid TOML: no Nix code can catch the parser's error,
  # so readCrate names the file in the error's trace (suite.py evaluates these
  # with --show-trace, which Nix 2.8 needs to show it; Nix 2.26 shows it anyway).
  pyprojectNotToml = {
    value = wheel {src = ./fixtures/bad-input/pyproject-syntax;};
    message = "while wheelwright reads ${toString ./fixtures/bad-input/pyproject-syntax}/pyproject.toml as TOML (fix the syntax error the TOML parser reports)";
  };
  cargoTomlNotToml = {
    value = wheel {src = ./fixtures/bad-input/cargo-toml-syntax;};
    message = "while wheelwright reads ${toString ./fixtures/bad-input/cargo-toml-syntax}/Cargo.toml as TOML";
  };
  # read even when no pyo3-ffi version is needed from it
  cargoLockNotToml = {
    value =
      (ww.planBuild {
        kind = "cdylib";
        src = ./fixtures/bad-input/cargo-lock-syntax;
        target = "x86_64-unknown-linux-gnu";
      })
      .env;
    message = "while wheelwright reads ${toString ./fixtures/bad-input/cargo-lock-syntax}/Cargo.lock as TOML";
  };
  maturinFeaturesNotAList = {
    value = wheel {src = ./fixtures/bad-input/features-string;};
    message = "wheelwright: ${toString ./fixtures/bad-input/features-string}/pyproject.toml: [tool.maturin] features must be a list of features (names, or tables with a `feature` name and string `python-version` or `python-implementation` conditions), not a string; write it as e.g. features = [\"pyo3/extension-module\"]";
  };
  # maturin builds abi3 wheels for the interpreters the condition names and a
  # wheel per interpreter for the others; wheelwright plans neither set
  conditionalStableAbi = {
    value = ww.resolveAbi3 {
      crate = {
        pyo3Features = [];
        featureTable = {};
        maturinFeatures = [];
        maturinConditionalFeatures = [
          {
            feature = "pyo3/abi3-py311";
            python-version = ">=3.11";
          }
        ];
      };
    };
    message = "wheelwright: [tool.maturin] features turns on pyo3/abi3-py311 only where python-version is >=3.11: maturin then builds an abi3 wheel for some interpreters and a wheel per interpreter for the others, which wheelwright does not plan yet; make it a plain feature (one stable-ABI wheel), or leave it out and list pythonVersions (a wheel per interpreter)";
  };
  manifestPathNotAString = {
    value = wheel {src = ./fixtures/bad-input/manifest-path-list;};
    message = "pyproject.toml: [tool.maturin] manifest-path must be a string, not a list; write it as e.g. manifest-path = \"rust/Cargo.toml\"";
  };
  manifestPathNowhere = {
    value = wheel {src = ./fixtures/bad-input/manifest-path-nowhere;};
    message = "wheelwright: ${toString ./fixtures/bad-input/manifest-path-nowhere}/pyproject.toml: [tool.maturin] manifest-path = \"rust/Cargo.toml\" names no file (${toString ./fixtures/bad-input/manifest-path-nowhere}/rust/Cargo.toml does not exist); set it to the package's Cargo.toml, relative to pyproject.toml";
  };
  pythonSourceMissing = {
    value = wheel {src = ./fixtures/bad-input/python-source-missing;};
    message = "pyproject.toml: [tool.maturin] python-source = \"python\" names no directory (${toString ./fixtures/bad-input/python-source-missing}/python does not exist), and maturin would refuse it; create it with the Python package in it, or remove python-source";
  };
  # the missing Cargo.toml is the cause, not the Cargo.lock missing with it
  noCargoToml = {
    value = wheel {src = ./fixtures/bad-input/pyproject-only;};
    message = "wheelwright: ${toString ./fixtures/bad-input/pyproject-only} has no Cargo.toml; pass the crate's root directory as src";
  };
  missingManifest = {
    value = wheel {manifest = "crates/py/Cargo.toml";};
    message = "has no crates/py/Cargo.toml; pass the crate's root directory as src";
  };
  rustVersionNotInOverlay = {
    value = ww.resolveRustVersion {
      available = ["1.29.0" "1.85.0" "1.98.0" "latest"];
      requested = "1.99.0";
    };
    message = "wheelwright: rustVersion asks for Rust '1.99.0', which the pinned rust-overlay does not have (it has 1.29.0 to 1.98.0); pick one of those or update the rust-overlay input";
  };
  nightlyToolchainFile = {
    value = ww.resolveRustVersion {
      available = ["1.85.0"];
      toolchainChannel = "nightly-2026-01-01";
    };
    message = "wheelwright: the crate's rust-toolchain file asks for Rust 'nightly-2026-01-01', but only stable releases are supported";
  };
  featuresNotAList = {
    value = wheel {features = "simd";};
    message = "wheelwright: features must be a list of strings";
  };
  writableVendoredSourcesNotABool = {
    value = wheel {writableVendoredSources = "yes";};
    message = "wheelwright: writableVendoredSources must be true or false, not a string";
  };
  badPythonVersion = {
    value = wheel {pythonVersions = ["python3.12"];};
    message = "wheelwright: pythonVersions entry 'python3.12' is not a CPython wheelwright builds; use one of 3.9, 3.10, 3.11, 3.12, 3.13, 3.14, 3.14t";
  };
  pythonTooOld = {
    value = wheel {pythonVersions = ["3.8"];};
    message = "wheelwright: pythonVersions entry '3.8' is not a CPython wheelwright builds; use one of 3.9,";
  };
  freeThreaded313 = {
    value = wheel {pythonVersions = ["3.13" "3.13t"];};
    message = "wheelwright: pythonVersions entry '3.13t' is refused: CPython 3.13's free-threaded build was experimental; PyO3 0.29 and cibuildwheel 4 dropped it, and maturin 1.14 and later refuse it; use \"3.14t\"";
  };
  pythonNewerThanPyo3 = {
    value = ww.resolvePythonVersions {
      crate = {
        name = "old-pyo3";
        requiresPython = ">=3.9";
        pyo3FfiVersion = "0.22.6";
      };
      abi3 = "per-interpreter";
      requested = ["3.13" "3.14"];
    };
    message = "wheelwright: pythonVersions entry '3.14' is newer than pyo3-ffi 0.22.6 builds for (at most 3.13); update pyo3 in Cargo.lock or drop 3.14";
  };
  unknownOption = {
    value = wheel {featurs = ["simd"];};
    message = "wheelwright: unknown option 'featurs'; the options are src, target, policy, rustVersion, manifest, features,";
  };
  wheelOptionForCdylib = {
    value =
      (ww.planBuild {
        kind = "cdylib";
        src = ../../examples/cdylib;
        target = "x86_64-unknown-linux-gnu";
        maturinExtraArgs = ["--strip"];
      })
      .env;
    message = "wheelwright: maturinExtraArgs only apply to wheels, not to a cdylib; use cargoExtraArgs for a cdylib";
  };
  packagesOptionForOneBuild = {
    value = wheel {targets = ["x86_64-unknown-linux-gnu"];};
    message = "wheelwright: targets is an option of targetPackages, not of a single build";
  };
  noDefaultFeaturesNotABool = {
    value = wheel {noDefaultFeatures = "true";};
    message = "wheelwright: noDefaultFeatures must be true or false, not a string";
  };
  sourceDateEpochNotAnInt = {
    value = wheel {sourceDateEpoch = "2024-01-01";};
    message = "wheelwright: sourceDateEpoch must be an int, not a string";
  };
  pythonVersionsNotAList = {
    value = wheel {pythonVersions = "3.12";};
    message = "wheelwright: pythonVersions must be a list of strings, e.g. pythonVersions = [ \"3.12\" \"3.14t\" ]";
  };
  unknownKind = {
    value = wheel {kind = "egg";};
    message = "wheelwright: kind must be \"wheel\", \"cdylib\" or \"sdist\", not 'egg'";
  };
  sdistWithoutPyproject = {
    value =
      (ww.planBuild {
        kind = "sdist";
        src = ../../examples/cdylib;
      })
      .env;
    message = "has no pyproject.toml; add one whose [build-system] names maturin, or build only wheels and C libraries";
  };
  unknownOutputKind = {
    value = ww.outputNames {
      targets = ["x86_64-unknown-linux-gnu"];
      kinds = ["sdist"];
    };
    message = "wheelwright: unknown output kind 'sdist'";
  };
}
