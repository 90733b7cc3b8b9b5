# The pure lib's values, as data: each test is { expr; expected; }.
# suite.py evaluates them with Nix and reports every mismatch.
let
  ww = import ../../lib;
  pyo3 = ../../examples/pyo3-abi3;
  cdylib = ../../examples/cdylib;
  layout = ./fixtures/pyproject-layout;
  perInterpreter = ./fixtures/per-interpreter;
  abi3t = ./fixtures/abi3t;
  plan = args: ww.planBuild ({src = pyo3;} // args);
  lines = builtins.split "\n";
  args = s: builtins.filter builtins.isString (lines s);
  floorOf = triple: ww.targets.${triple}.floor;
in {
  targetsAreTheSupportedSet = {
    expr = builtins.attrNames ww.targets;
    expected = [
      "aarch64-unknown-linux-gnu"
      "aarch64-unknown-linux-musl"
      "armv7-unknown-linux-gnueabihf"
      "armv7-unknown-linux-musleabihf"
      "i686-unknown-linux-gnu"
      "i686-unknown-linux-musl"
      "powerpc64le-unknown-linux-gnu"
      "riscv64gc-unknown-linux-gnu"
      "riscv64gc-unknown-linux-musl"
      "s390x-unknown-linux-gnu"
      "x86_64-unknown-linux-gnu"
      "x86_64-unknown-linux-musl"
    ];
  };
  wheelArchitectures = {
    expr = builtins.mapAttrs (_: t: t.arch) ww.targets;
    expected = {
      "aarch64-unknown-linux-gnu" = "aarch64";
      "aarch64-unknown-linux-musl" = "aarch64";
      "armv7-unknown-linux-gnueabihf" = "armv7l";
      "armv7-unknown-linux-musleabihf" = "armv7l";
      "i686-unknown-linux-gnu" = "i686";
      "i686-unknown-linux-musl" = "i686";
      "powerpc64le-unknown-linux-gnu" = "ppc64le";
      "riscv64gc-unknown-linux-gnu" = "riscv64";
      "riscv64gc-unknown-linux-musl" = "riscv64";
      "s390x-unknown-linux-gnu" = "s390x";
      "x86_64-unknown-linux-gnu" = "x86_64";
      "x86_64-unknown-linux-musl" = "x86_64";
    };
  };
  # A musl library links libc dynamically and needs the soname musl systems
  # give it; glibc builds and musl wheels (maturin's own flag) get no RUSTFLAGS.
  muslLinking = {
    expr =
      map (args: let
        env = (ww.planBuild ({src = cdylib;} // args)).env;
      in {
        soname = env.WW_LIBC_SONAME;
        rustflags = env.RUSTFLAGS or null;
      }) [
        {
          kind = "cdylib";
          target = "aarch64-unknown-linux-musl";
        }
        {
          kind = "wheel";
          target = "x86_64-unknown-linux-musl";
        }
        {
          kind = "cdylib";
          target = "i686-unknown-linux-musl";
        }
        {
          kind = "cdylib";
          target = "x86_64-unknown-linux-gnu";
        }
      ];
    expected = [
      {
        soname = "libc.musl-aarch64.so.1";
        rustflags = "-C target-feature=-crt-static";
      }
      {
        soname = "libc.musl-x86_64.so.1";
        rustflags = null;
      }
      {
        # Alpine's name for i686 is x86
        soname = "libc.musl-x86.so.1";
        rustflags = "-C target-feature=-crt-static";
      }
      {
        soname = "libc.so.6";
        rustflags = null;
      }
    ];
  };
  floors = {
    expr = builtins.mapAttrs (_: t: t.floor) ww.targets;
    expected = {
      "aarch64-unknown-linux-gnu" = "manylinux_2_17";
      "aarch64-unknown-linux-musl" = "musllinux_1_2";
      "armv7-unknown-linux-gnueabihf" = "manylinux_2_17";
      "armv7-unknown-linux-musleabihf" = "musllinux_1_2";
      "i686-unknown-linux-gnu" = "manylinux_2_17";
      "i686-unknown-linux-musl" = "musllinux_1_2";
      "powerpc64le-unknown-linux-gnu" = "manylinux_2_34";
      "riscv64gc-unknown-linux-gnu" = "manylinux_2_31";
      "riscv64gc-unknown-linux-musl" = "musllinux_1_2";
      "s390x-unknown-linux-gnu" = "manylinux_2_17";
      "x86_64-unknown-linux-gnu" = "manylinux_2_17";
      "x86_64-unknown-linux-musl" = "musllinux_1_2";
    };
  };
  qemuNames = {
    expr = map (t: ww.targets.${t}.qemu) ["armv7-unknown-linux-gnueabihf" "i686-unknown-linux-gnu" "powerpc64le-unknown-linux-gnu"];
    expected = ["arm" "i386" "ppc64le"];
  };
  policyDefaultsToFloor = {
    expr = (ww.resolvePolicy (ww.resolveTarget "powerpc64le-unknown-linux-gnu") null).platformTag;
    expected = "manylinux_2_34_ppc64le";
  };
  legacyAliasNormalised = {
    expr = ww.resolvePolicy (ww.resolveTarget "aarch64-unknown-linux-gnu") "manylinux2014";
    expected = {
      name = "manylinux_2_17";
      family = "manylinux";
      version = "2.17";
      platformTag = "manylinux_2_17_aarch64";
    };
  };
  newerPolicyAccepted = {
    expr = (ww.resolvePolicy (ww.resolveTarget "x86_64-unknown-linux-gnu") "manylinux_2_28").platformTag;
    expected = "manylinux_2_28_x86_64";
  };
  muslPolicy = {
    expr = (ww.resolvePolicy (ww.resolveTarget "x86_64-unknown-linux-musl") null).platformTag;
    expected = "musllinux_1_2_x86_64";
  };
  outputNames = {
    expr = ww.outputNames {
      targets = ["armv7-unknown-linux-gnueabihf" "aarch64-unknown-linux-musl"];
      kinds = ["wheel" "cdylib"];
    };
    expected = {
      "cdylib-aarch64-musl" = {
        kind = "cdylib";
        triple = "aarch64-unknown-linux-musl";
      };
      "cdylib-armv7" = {
        kind = "cdylib";
        triple = "armv7-unknown-linux-gnueabihf";
      };
      "wheel-aarch64-musl" = {
        kind = "wheel";
        triple = "aarch64-unknown-linux-musl";
      };
      "wheel-armv7" = {
        kind = "wheel";
        triple = "armv7-unknown-linux-gnueabihf";
      };
    };
  };
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
  # A crate without abi3 gets the default matrix, narrowed by requires-python
  # and its pyo3's newest CPython; an abi3 crate builds one wheel for all.
  interpreterMatrix = {
    expr = let
      crate = requiresPython: pyo3FfiVersion: {inherit requiresPython pyo3FfiVersion;};
      matrix = c:
        ww.resolvePythonVersions {
          crate = c;
          abi3 = "per-interpreter";
        };
    in [
      (plan {
        kind = "wheel";
        src = perInterpreter;
        target = "aarch64-unknown-linux-gnu";
      })
      .pythonVersions
      (matrix (crate ">=3.12" "0.29.3"))
      (matrix (crate ">=3.8" "0.22.6"))
      (matrix (crate null null))
      (plan {
        kind = "wheel";
        target = "aarch64-unknown-linux-gnu";
      })
      .pythonVersions
    ];
    expected = [
      ["3.11" "3.12" "3.13" "3.14"]
      ["3.12" "3.13" "3.14"]
      ["3.11" "3.12" "3.13"]
      ["3.11" "3.12" "3.13" "3.14"]
      null
    ];
  };
  # Every interpreter pythonVersions accepts becomes maturin's --interpreter,
  # in the order given.
  everyAcceptedInterpreter = {
    expr = builtins.filter (a: a != "--interpreter") (builtins.filter (a: builtins.match "python.*" a != null) (args
      (plan {
        kind = "wheel";
        src = perInterpreter;
        target = "aarch64-unknown-linux-gnu";
        pythonVersions = ["3.9" "3.10" "3.11" "3.12" "3.13" "3.14" "3.14t"];
      })
      .env
      .WW_BUILD_ARGS));
    expected = ["python3.9" "python3.10" "python3.11" "python3.12" "python3.13" "python3.14" "python3.14t"];
  };
  abi3FromTheCrate = {
    expr = map (src: ww.resolveAbi3 {crate = ww.readCrate {inherit src;};}) [pyo3 perInterpreter cdylib abi3t];
    expected = ["abi3" "per-interpreter" null "abi3t"];
  };
  # An abi3t crate's one wheel is built against CPython 3.15t, which maturin
  # must be told (its sysconfig is built in).
  abi3tInterpreter = {
    expr = let
      p = plan {
        kind = "wheel";
        src = abi3t;
        target = "aarch64-unknown-linux-gnu";
      };
    in {
      inherit (p) pythonVersions;
      interpreter = builtins.elemAt (args p.env.WW_BUILD_ARGS) 11;
    };
    expected = {
      pythonVersions = ["3.15t"];
      interpreter = "python3.15t";
    };
  };
  # maturin's FeatureSpec::split: plain entries and tables without conditions
  # are features; tables with conditions are for some interpreters only.
  conditionalFeaturesRead = {
    expr = let
      crate = ww.readCrate {src = ./fixtures/conditional-features;};
    in {
      inherit (crate) maturinFeatures maturinConditionalFeatures;
      abi = ww.resolveAbi3 {inherit crate;};
    };
    expected = {
      maturinFeatures = ["pyo3/extension-module" "fast"];
      maturinConditionalFeatures = [
        {
          feature = "pypy-compat";
          python-implementation = "pypy";
        }
      ];
      abi = "per-interpreter";
    };
  };
  # The `features` option replaces the pyproject's list, as maturin's
  # --features does (src/cargo_options.rs); its conditional entries go too.
  featuresOptionReplacesPyproject = {
    expr = let
      crate = {
        pyo3Features = [];
        featureTable = {};
        maturinFeatures = ["pyo3/abi3-py39"];
        maturinConditionalFeatures = [
          {
            feature = "pyo3/abi3-py311";
            python-version = ">=3.11";
          }
        ];
      };
    in [
      (ww.resolveAbi3 {
        inherit crate;
        features = ["pyo3/extension-module"];
      })
      (ww.resolveAbi3 {
        crate = crate // {maturinConditionalFeatures = [];};
      })
    ];
    expected = ["per-interpreter" "abi3"];
  };
  abi3FromFeatures = {
    expr = let
      crate = {
        pyo3Features = [];
        featureTable = {
          default = ["stable-abi"];
          stable-abi = ["pyo3/abi3-py39"];
        };
        maturinFeatures = [];
      };
    in [
      (ww.resolveAbi3 {inherit crate;})
      (ww.resolveAbi3 {
        inherit crate;
        noDefaultFeatures = true;
      })
      (ww.resolveAbi3 {
        crate = ww.readCrate {src = perInterpreter;};
        features = ["pyo3/abi3-py39"];
      })
      (ww.resolveAbi3 {
        crate = ww.readCrate {src = perInterpreter;};
        features = ["pyo3/abi3t"];
      })
    ];
    expected = ["abi3" "per-interpreter" "abi3" "abi3t"];
  };
  toolchainFileChannel = {
    expr = (ww.readCrate {src = ./fixtures/toolchain-file;}).toolchainChannel;
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
  wheelBuilderEnv = {
    expr =
      (plan {
        kind = "wheel";
        target = "aarch64-unknown-linux-gnu";
      })
      .env;
    expected = {
      WW_KIND = "wheel";
      WW_TARGET = "aarch64-unknown-linux-gnu";
      WW_ZIG_TARGET = "aarch64-unknown-linux-gnu.2.17";
      WW_ARCH = "aarch64";
      WW_LIBC = "glibc";
      WW_LIBC_SONAME = "libc.so.6";
      WW_POLICY = "manylinux_2_17";
      WW_PLATFORM_TAG = "manylinux_2_17_aarch64";
      WW_MANIFEST = "Cargo.toml";
      WW_LOCK_FILE = "Cargo.lock";
      WW_LIB_NAME = "ww_example";
      WW_CRATE_NAME = "wheelwright-example-pyo3";
      WW_DIST_NAME = "wheelwright_example";
      WW_HEADER = "";
      WW_BUILD_ARGS = "build\n--zig\n--strip\n--target\naarch64-unknown-linux-gnu\n--compatibility\nmanylinux_2_17\n--release\n--locked\n--offline";
      WW_REPAIR_ARGS = "repair\n--plat\nauto\n--only-plat";
      SOURCE_DATE_EPOCH = "315532800";
      CARGO_BUILD_INCREMENTAL = "false";
      CARGO_NET_OFFLINE = "true";
      WW_WRITABLE_VENDOR = "";
    };
  };
  writableVendoredSourcesReachTheBuilder = {
    expr =
      (plan {
        kind = "cdylib";
        target = "riscv64gc-unknown-linux-musl";
        writableVendoredSources = true;
      })
      .env
      .WW_WRITABLE_VENDOR;
    expected = "1";
  };
  wheelArgsWithOptions = {
    expr =
      args
      (plan {
        kind = "wheel";
        target = "powerpc64le-unknown-linux-gnu";
        features = ["fast" "simd"];
        noDefaultFeatures = true;
        pythonVersions = ["3.12" "3.14t"];
        maturinExtraArgs = ["--sbom-include" "x y"];
      })
      .env
      .WW_BUILD_ARGS;
    expected = [
      "build"
      "--zig"
      "--strip"
      "--target"
      "powerpc64le-unknown-linux-gnu"
      "--compatibility"
      "manylinux_2_34"
      "--release"
      "--locked"
      "--offline"
      "--features"
      "fast,simd"
      "--no-default-features"
      "--interpreter"
      "python3.12"
      "--interpreter"
      "python3.14t"
      "--sbom-include"
      "x y"
    ];
  };
  cdylibArgsCarryGlibcFloor = {
    expr =
      args
      (ww.planBuild {
        kind = "cdylib";
        src = cdylib;
        target = "armv7-unknown-linux-gnueabihf";
      })
      .env
      .WW_BUILD_ARGS;
    expected = ["zigbuild" "--lib" "--target" "armv7-unknown-linux-gnueabihf.2.17" "--release" "--locked" "--offline" "--manifest-path" "Cargo.toml"];
  };
  cdylibHeaderFromCbindgenConfig = {
    expr =
      (ww.planBuild {
        kind = "cdylib";
        src = cdylib;
        target = "s390x-unknown-linux-gnu";
      })
      .env
      .WW_HEADER;
    expected = "1";
  };
  muslCdylibHasNoGlibcSuffix = {
    expr = builtins.elemAt (args
      (ww.planBuild {
        kind = "cdylib";
        src = cdylib;
        target = "x86_64-unknown-linux-musl";
      })
      .env
      .WW_BUILD_ARGS)
    3;
    expected = "x86_64-unknown-linux-musl";
  };
  planOutputName = {
    expr =
      (plan {
        kind = "wheel";
        target = "x86_64-unknown-linux-musl";
      })
      .outputName;
    expected = "wheel-x86_64-musl";
  };
  # The zig cache's builder run links dynamically on every target, and is
  # named by the zig target, which holds the glibc floor.
  zigCachePlans = {
    expr = map (t: let
      p = plan {
        kind = "wheel";
        target = t;
      };
    in
      p.zigCache)
    ["aarch64-unknown-linux-gnu" "x86_64-unknown-linux-musl"];
    expected = [
      {
        name = "wheelwright-zig-cache-aarch64-unknown-linux-gnu.2.17";
        env = {
          WW_KIND = "zig-cache";
          WW_TARGET = "aarch64-unknown-linux-gnu";
          WW_ZIG_TARGET = "aarch64-unknown-linux-gnu.2.17";
          RUSTFLAGS = "-C target-feature=-crt-static";
        };
      }
      {
        name = "wheelwright-zig-cache-x86_64-unknown-linux-musl";
        env = {
          WW_KIND = "zig-cache";
          WW_TARGET = "x86_64-unknown-linux-musl";
          WW_ZIG_TARGET = "x86_64-unknown-linux-musl";
          RUSTFLAGS = "-C target-feature=-crt-static";
        };
      }
    ];
  };
  everyTargetPlans = {
    expr = map (t:
      (plan {
        kind = "wheel";
        target = t;
      })
      .env
      .WW_PLATFORM_TAG) (builtins.attrNames ww.targets);
    expected = map (t: "${floorOf t}_${ww.targets.${t}.arch}") (builtins.attrNames ww.targets);
  };
  # An sdist has no target: maturin sdist, with --manifest-path only when the
  # root pyproject.toml does not name the crate.
  sdistBuilderEnv = {
    expr = map (src:
      (ww.planBuild {
        kind = "sdist";
        inherit src;
      })
      .env) [pyo3 layout];
    expected = [
      {
        WW_KIND = "sdist";
        WW_MANIFEST = "Cargo.toml";
        WW_DIST_NAME = "wheelwright_example";
        WW_CRATE_NAME = "wheelwright-example-pyo3";
        WW_BUILD_ARGS = "sdist";
        SOURCE_DATE_EPOCH = "315532800";
        CARGO_NET_OFFLINE = "true";
      }
      {
        WW_KIND = "sdist";
        WW_MANIFEST = "rust/py/Cargo.toml";
        WW_DIST_NAME = "ww_layout";
        WW_CRATE_NAME = "layout-py";
        WW_BUILD_ARGS = "sdist";
        SOURCE_DATE_EPOCH = "315532800";
        CARGO_NET_OFFLINE = "true";
      }
    ];
  };
  sdistOutputName = {
    expr =
      (plan {
        kind = "sdist";
      })
      .outputName;
    expected = "sdist";
  };
  # targetPackages gives each build the options of its kind (lib/data/options.nix);
  # the builds here only report the names they were given
  targetPackagesSplitsOptions = {
    expr = let
      given = kind: a: {
        passthru.plan.env.WW_KIND = kind;
        names = builtins.attrNames a;
      };
      packages =
        import ../../nix/targetPackages.nix {
          inherit (ww) options outputNames;
          targetTable = ww.targets;
          buildWheel = given "wheel";
          buildCdylib = given "cdylib";
          buildSdist = given "sdist";
          cli = null;
          symlinkJoin = _: null;
          writeShellScriptBin = _: _: null;
        } {
          src = pyo3;
          targets = ["x86_64-unknown-linux-gnu"];
          cdylib = true;
          features = ["simd"];
          maturinExtraArgs = ["--strip"];
          pythonVersions = ["3.12"];
          rustVersion = "1.85";
          tools = {};
        };
    in
      builtins.mapAttrs (_: p: p.names) (builtins.removeAttrs packages ["dist" "publish"]);
    expected = {
      wheel-x86_64 = ["features" "maturinExtraArgs" "pythonVersions" "rustVersion" "src" "target" "tools"];
      cdylib-x86_64 = ["features" "rustVersion" "src" "target" "tools"];
      sdist = ["rustVersion" "src" "tools"];
    };
  };
  optionDefaults = {
    expr = builtins.removeAttrs (ww.checkOptions "wheel" {src = pyo3;}) ["src"];
    expected = {
      target = null;
      policy = null;
      rustVersion = null;
      manifest = null;
      features = [];
      noDefaultFeatures = false;
      cargoExtraArgs = [];
      maturinExtraArgs = [];
      pythonVersions = null;
      sourceDateEpoch = 315532800;
      filterSource = true;
      nativeBuildInputs = [];
      writableVendoredSources = false;
      tools = {};
    };
  };
  # one policy per target: the triple's entry, then its libc's, then the default
  policyPerTarget = {
    expr = let
      policyOf = target: policy:
        (plan {
          kind = "wheel";
          inherit target policy;
        })
        .env
        .WW_POLICY;
      perTarget = {
        glibc = "manylinux_2_28";
        "powerpc64le-unknown-linux-gnu" = "manylinux_2_35";
      };
    in [
      (policyOf "x86_64-unknown-linux-gnu" perTarget)
      (policyOf "powerpc64le-unknown-linux-gnu" perTarget)
      (policyOf "x86_64-unknown-linux-musl" perTarget)
      (policyOf "riscv64gc-unknown-linux-gnu" {musl = "musllinux_1_2";})
    ];
    expected = ["manylinux_2_28" "manylinux_2_35" "musllinux_1_2" "manylinux_2_31"];
  };
  # [tool.maturin] compatibility = "manylinux_2_28": the default policy of the
  # glibc targets that can honour it; the policy option overrides it
  pyprojectCompatibility = {
    expr = let
      policyOf = target: extra:
        (ww.planBuild ({
            kind = "wheel";
            src = ./fixtures/maturin-settings;
            inherit target;
          }
          // extra))
        .env
        .WW_POLICY;
    in [
      (policyOf "x86_64-unknown-linux-gnu" {})
      (policyOf "powerpc64le-unknown-linux-gnu" {})
      (policyOf "aarch64-unknown-linux-musl" {})
      (policyOf "x86_64-unknown-linux-gnu" {policy = "manylinux2014";})
      (policyOf "x86_64-unknown-linux-gnu" {policy = {musl = "musllinux_1_2";};})
    ];
    expected = ["manylinux_2_28" "manylinux_2_34" "musllinux_1_2" "manylinux_2_17" "manylinux_2_28"];
  };
  # maturin's profile and strip, from the pyproject or maturinExtraArgs, are
  # not overridden by --release and --strip
  maturinSettingsHonoured = {
    expr = let
      flags = src: extra:
        builtins.filter (a: builtins.elem a ["--release" "--strip"] || builtins.substring 0 9 a == "--profile")
        (args
          (ww.planBuild ({
              kind = "wheel";
              inherit src;
              target = "x86_64-unknown-linux-gnu";
            }
            // extra))
          .env
          .WW_BUILD_ARGS);
    in [
      (flags pyo3 {})
      (flags ./fixtures/maturin-settings {})
      (flags pyo3 {maturinExtraArgs = ["--profile" "dist"];})
      (flags pyo3 {maturinExtraArgs = ["--profile=dist"];})
    ];
    expected = [["--strip" "--release"] [] ["--strip" "--profile"] ["--strip" "--profile=dist"]];
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
    expr = map (src: {inherit (ww.readCrate {inherit src;}) bindings usesPyo3;}) [./fixtures/bin-cli pyo3 perInterpreter cdylib ./fixtures/cffi-lib ./fixtures/uniffi-bindings ./fixtures/program-with-pyo3 ./fixtures/plain-lib];
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
  # a cffi module: one py3-none wheel per target, no interpreter, maturin told so
  cffiPlan = {
    expr = let
      p = ww.planBuild {
        kind = "wheel";
        src = ./fixtures/cffi-lib;
        target = "aarch64-unknown-linux-musl";
      };
    in {
      inherit (p) abi3 pythonVersions;
      args = builtins.filter (a: a == "--bindings" || a == "cffi" || builtins.match "--interpreter|python.*" a != null) (args p.env.WW_BUILD_ARGS);
      rustflags = p.env.RUSTFLAGS or null;
    };
    expected = {
      abi3 = null;
      pythonVersions = null;
      args = ["--bindings" "cffi"];
      # maturin turns static linking off for a library on musl itself
      rustflags = null;
    };
  };
  # a program: one py3-none wheel per target, no interpreter, maturin told so
  programPlan = {
    expr = let
      p = ww.planBuild {
        kind = "wheel";
        src = ./fixtures/bin-cli;
        target = "aarch64-unknown-linux-gnu";
      };
    in {
      inherit (p) abi3 pythonVersions;
      args = builtins.filter (a: a == "--bindings" || a == "bin" || builtins.match "--interpreter|python.*" a != null) (args p.env.WW_BUILD_ARGS);
    };
    expected = {
      abi3 = null;
      pythonVersions = null;
      args = ["--bindings" "bin"];
    };
  };
  # a program links musl as a C library does: zig's crt, not rustc's
  programOnMusl = {
    expr =
      (ww.planBuild {
        kind = "wheel";
        src = ./fixtures/bin-cli;
        target = "x86_64-unknown-linux-musl";
      })
      .env
      .RUSTFLAGS
      or null;
    expected = "-C target-feature=-crt-static";
  };
  maturinRequirementRead = {
    expr = map (src: (ww.readCrate {inherit src;}).maturinRequirement) [pyo3 ./fixtures/maturin-settings cdylib];
    expected = [">=1.9.4,<2" ">=1.9,<2" null];
  };
  # both stable ABIs: maturin runs twice, without interpreters (the abi3
  # wheel) and with the free-threaded ones (cp314t, and the abi3t wheel)
  abi3AndAbi3t = {
    expr = let
      p = ww.planBuild {
        kind = "wheel";
        src = ./fixtures/abi3-and-abi3t;
        target = "x86_64-unknown-linux-gnu";
      };
      runs = builtins.filter builtins.isString (builtins.split "\n\n" p.env.WW_BUILD_ARGS);
    in {
      inherit (p) abi3 pythonVersions;
      interpreters = map (run: builtins.filter (a: builtins.match "python.*" a != null) (args run)) runs;
    };
    expected = {
      abi3 = "abi3-and-abi3t";
      pythonVersions = ["3.14t" "3.15t"];
      interpreters = [[] ["python3.14t" "python3.15t"]];
    };
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
  # both stable ABIs and requires-python >= 3.15: no cp314t wheel
  abi3AndAbi3tFloor = {
    expr = ww.resolvePythonVersions {
      crate = {
        name = "new";
        requiresPython = ">=3.15";
        pyo3FfiVersion = "0.30.0";
      };
      abi3 = "abi3-and-abi3t";
    };
    expected = ["3.15t"];
  };
  # the pyproject's compatibility is maturin's, for wheels; a C library keeps the floor
  pyprojectCompatibilityWheelsOnly = {
    expr =
      (ww.planBuild {
        kind = "cdylib";
        src = ./fixtures/maturin-settings;
        target = "x86_64-unknown-linux-gnu";
      })
      .env
      .WW_POLICY;
    expected = "manylinux_2_17";
  };
}
