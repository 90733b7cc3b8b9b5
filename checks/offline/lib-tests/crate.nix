# lib tests: what readCrate reads from a crate and its pyproject (bindings, toolchain, maturin's requirement).
{
  ww,
  pyo3,
  cdylib,
  layout,
  perInterpreter,
  args,
  ...
}: {
  crateFacts = {
    expr = ww.readCrate {src = cdylib;};
    expected = {
      name = "wheelwright-example-cdylib";
      version = "0.1.0";
      rustVersion = "1.85";
      libName = "wwcalc";
      crateTypes = ["cdylib"];
      hasLib = true;
      hasBin = false;
      # as a wheel, its C ABI would be a cffi module
      bindings = "cffi";
      usesPyo3 = false;
      toolchainChannel = null;
      uniffiBindgen = null;
      workspaceRootPackage = "wheelwright-example-cdylib";
      lockedCrates = ["cfg-if" "crc32fast" "wheelwright-example-cdylib"];
      manifest = "Cargo.toml";
      maturinFindsManifest = false;
      lockDir = ".";
      lockFile = "Cargo.lock";
      pyproject = null;
      missesRootPyproject = false;
      distName = "wheelwright_example_cdylib";
      requiresPython = null;
      pyo3FfiVersion = null;
      pyo3Features = null;
      featureTable = {};
      maturinFeatures = [];
      maturinConditionalFeatures = [];
      maturinCompatibility = null;
      maturinRequirement = null;
      buildRequires = [];
      buildSystemRequires = [];
      buildRequirementsLock = null;
      maturinProfile = null;
      maturinStrip = null;
      standIns = {
        files = [];
        directories = [];
      };
      hasCbindgenConfig = true;
    };
  };
  # The root pyproject.toml names the manifest; maturin finds it from there.
  pyprojectLayoutFacts = {
    expr = {
      inherit (ww.readCrate {src = layout;}) manifest maturinFindsManifest lockDir pyproject missesRootPyproject distName standIns libName;
    };
    expected = {
      manifest = "rust/py/Cargo.toml";
      maturinFindsManifest = true;
      lockDir = "rust/py";
      pyproject = "pyproject.toml";
      missesRootPyproject = false;
      distName = "ww_layout";
      standIns = {
        files = ["python/ww_layout/__init__.py" "README.md" "LICENSE"];
        directories = ["python/ww_layout"];
      };
      libName = "_native";
    };
  };
  # No --manifest-path for maturin when the root pyproject.toml names it; a
  # cdylib's cargo always gets one.
  manifestArguments = {
    expr = map (p: builtins.elem "--manifest-path" (args p.env.WW_BUILD_ARGS)) [
      (ww.planBuild {
        kind = "wheel";
        src = layout;
        target = "x86_64-unknown-linux-gnu";
      })
      (ww.planBuild {
        kind = "cdylib";
        src = cdylib;
        target = "x86_64-unknown-linux-gnu";
      })
    ];
    expected = [false true];
  };
  toolchainFileChannel = {
    expr = (ww.readCrate {src = ../fixtures/toolchain-file;}).toolchainChannel;
    expected = "1.85";
  };
  rustVersionFromToolchainFile = {
    expr = ww.resolveRustVersion {
      available = ["1.84.1" "1.85.0" "1.85.1" "1.86.0" "latest"];
      toolchainChannel = "1.85";
    };
    expected = "1.85.1";
  };
  rustVersionRequestWins = {
    expr = ww.resolveRustVersion {
      available = ["1.85.0" "1.86.0"];
      requested = "1.85.0";
      toolchainChannel = "1.86";
    };
    expected = "1.85.0";
  };
  rustVersionDefaultsToNewest = {
    expr = ww.resolveRustVersion {available = ["1.9.0" "1.10.0" "1.85.0" "1.100.0" "latest"];};
    expected = "1.100.0";
  };
  # PEP 440 specifiers as pip reads them, against maturin's version
  versionSatisfies = {
    expr = map (c: ww.versionSatisfies (builtins.head c) (builtins.elemAt c 1)) [
      [">=1.14,<1.15" "1.16.0"]
      [">=1.9,<2.0" "1.16.0"]
      ["" "1.16.0"]
      ["==1.16.*" "1.16.0"]
      ["~=1.14" "1.16.0"]
      ["~=1.14.0" "1.16.0"]
      ["!=1.16.0" "1.16.0"]
      ["==1.16" "1.16.0"]
      [" < 1.16 " "1.16.0"]
      [">1.15.2" "1.16.0"]
    ];
    expected = [false true true true true false false true false true];
  };
  # maturin's bindings (src/bridge/detection.rs): the pyproject's choice;
  # else a program for a crate with a binary target, no pyo3, pyo3-ffi or
  # uniffi dependency and no cdylib; else an extension module (null)
  bindingsDetected = {
    expr = map (src: {inherit (ww.readCrate {inherit src;}) bindings usesPyo3;}) [../fixtures/bin-cli pyo3 perInterpreter cdylib ../fixtures/cffi-lib ../fixtures/uniffi-lib ../fixtures/uniffi-without-bindgen ../fixtures/program-with-pyo3 ../fixtures/plain-lib];
    expected = [
      {
        bindings = "bin";
        usesPyo3 = false;
      }
      {
        bindings = "pyo3";
        usesPyo3 = true;
      }
      {
        bindings = null;
        usesPyo3 = true;
      }
      # a cdylib without pyo3 or uniffi: cffi, as maturin detects it
      {
        bindings = "cffi";
        usesPyo3 = false;
      }
      {
        bindings = "cffi";
        usesPyo3 = false;
      }
      # a uniffi dependency without pyo3
      {
        bindings = "uniffi";
        usesPyo3 = false;
      }
      # [tool.maturin] bindings
      {
        bindings = "uniffi";
        usesPyo3 = false;
      }
      # a binary target beside pyo3 (here for unix only) and no cdylib
      {
        bindings = "bin";
        usesPyo3 = true;
      }
      # no pyo3, cdylib or program: maturin cannot tell
      {
        bindings = null;
        usesPyo3 = false;
      }
    ];
  };
  # where maturin finds uniffi-bindgen (src/binding_generator/uniffi_binding.rs):
  # the crate's binary target, else one of its workspace's packages, run by
  # `cargo run` in the workspace root, which looks only in the root's own
  # package when there is one (tsink-uniffi's layout: notInRunPackages)
  uniffiBindgenFound = {
    expr = map (src: (ww.readCrate {inherit src;}).uniffiBindgen) [../fixtures/uniffi-lib ../fixtures/uniffi-workspace ../fixtures/uniffi-without-bindgen ../fixtures/cffi-lib ../fixtures/uniffi-root-package ../fixtures/uniffi-bindgen-in-root];
    # the workspace's: a package named uniffi-bindgen, its program src/main.rs
    expected = ["crate" "workspace" null null "notInRunPackages" "notInCrate"];
  };
  maturinRequirementRead = {
    expr = map (src: (ww.readCrate {inherit src;}).maturinRequirement) [pyo3 ../fixtures/maturin-settings cdylib];
    expected = [">=1.9.4,<2" ">=1.9,<2" null];
  };
  maturinRequirementForms = {
    expr = map (r: ww.maturinRequirement [r]) [
      "maturin>=1.9,<2"
      "maturin"
      "maturin (>=1.0,<2.0)"
      "maturin @ https://example.org/maturin-1.16.0.tar.gz"
      "maturin-import-hook>=0.1"
      "Maturin[zig] >= 1.4 ; python_version > '3.8'"
    ];
    expected = [">=1.9,<2" null ">=1.0,<2.0" null null ">= 1.4 "];
  };
  # the names pip would install for the build; a build script that runs
  # Python with cffi (cryptography's) gets the pinned cffi
  requirementNamesForms = {
    expr = ww.requirementNames [
      "maturin>=1.14.1,<2"
      "cffi>=2.0.0; platform_python_implementation != 'PyPy'"
      "Typing_Extensions>=4.13.2; python_version < '3.11'"
      "setuptools-rust @ https://example.org/s.tar.gz"
      " zope.interface"
      ">=1.0"
    ];
    expected = ["maturin" "cffi" "typing-extensions" "setuptools-rust" "zope-interface"];
  };
}
