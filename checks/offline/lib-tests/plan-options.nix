# lib tests: options: defaults, how targetPackages splits them, per-target policies, maturin settings, programs and cffi modules.
{
  ww,
  pyo3,
  plan,
  args,
  ...
}: {
  # targetPackages gives each build the options of its kind (lib/data/options.nix);
  # the builds here only report the names they were given
  targetPackagesSplitsOptions = {
    expr = let
      given = kind: a: {
        passthru.plan.env.WW_KIND = kind;
        names = builtins.attrNames a;
      };
      packages =
        import ../../../nix/targetPackages.nix {
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
      targetLibraries = [];
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
            src = ../fixtures/maturin-settings;
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
      (flags ../fixtures/maturin-settings {})
      (flags pyo3 {maturinExtraArgs = ["--profile" "dist"];})
      (flags pyo3 {maturinExtraArgs = ["--profile=dist"];})
    ];
    expected = [["--strip" "--release"] [] ["--strip" "--profile"] ["--strip" "--profile=dist"]];
  };
  # the shared objects maturin's repair bundles are stripped where maturin
  # strips the module (it leaves them as they are); not with the pyproject's
  # strip = false, nor for a uniffi module, whose every ELF file the builder
  # strips (WW_STRIP_BUILT), nor for a C library, which bundles nothing
  bundledStripped = {
    expr = let
      stripBundled = src: kind:
        (ww.planBuild {
          inherit kind src;
          target = "x86_64-unknown-linux-gnu";
        })
        .env
        .WW_STRIP_BUNDLED
        or null;
    in [
      (stripBundled pyo3 "wheel")
      (stripBundled ../fixtures/maturin-settings "wheel")
      (stripBundled ../fixtures/uniffi-lib "wheel")
      (stripBundled pyo3 "cdylib")
    ];
    expected = ["1" null null null];
  };
  # the pyproject's compatibility is maturin's, for wheels; a C library keeps the floor
  pyprojectCompatibilityWheelsOnly = {
    expr =
      (ww.planBuild {
        kind = "cdylib";
        src = ../fixtures/maturin-settings;
        target = "x86_64-unknown-linux-gnu";
      })
      .env
      .WW_POLICY;
    expected = "manylinux_2_17";
  };
  # a cffi module: one py3-none wheel per target, no interpreter, maturin told so
  cffiPlan = {
    expr = let
      p = ww.planBuild {
        kind = "wheel";
        src = ../fixtures/cffi-lib;
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
  # a uniffi module: one py3-none wheel per target, no interpreter; linked
  # unstripped for uniffi-bindgen (maturin's strip and zig's, through
  # Cargo's profile, both off), stripped by the builder afterwards
  uniffiPlan = {
    expr = let
      p = ww.planBuild {
        kind = "wheel";
        src = ../fixtures/uniffi-lib;
        target = "riscv64gc-unknown-linux-gnu";
      };
    in {
      inherit (p) abi3 pythonVersions;
      args = builtins.filter (a: builtins.elem a ["--bindings" "uniffi" "--strip" "false"] || builtins.match "--interpreter|python.*" a != null) (args p.env.WW_BUILD_ARGS);
      strip = {inherit (p.env) CARGO_PROFILE_RELEASE_STRIP WW_STRIP_BUILT;};
      # askama's derive (uniffi_bindgen's) cannot read through crane's symlinks
      copiedSources = p.env.WW_WRITABLE_VENDOR;
      # zig builds its runtime with debug information for an unstripped link
      zigCache = {
        inherit (p.zigCache) name;
        strip = p.zigCache.env.CARGO_PROFILE_RELEASE_STRIP;
      };
    };
    expected = {
      abi3 = null;
      pythonVersions = null;
      args = ["--bindings" "uniffi" "--strip" "false"];
      strip = {
        CARGO_PROFILE_RELEASE_STRIP = "none";
        WW_STRIP_BUILT = "1";
      };
      copiedSources = "1";
      zigCache = {
        name = "wheelwright-zig-cache-riscv64gc-unknown-linux-gnu.2.31-unstripped";
        strip = "none";
      };
    };
  };
  # a program: one py3-none wheel per target, no interpreter, maturin told so
  programPlan = {
    expr = let
      p = ww.planBuild {
        kind = "wheel";
        src = ../fixtures/bin-cli;
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
        src = ../fixtures/bin-cli;
        target = "x86_64-unknown-linux-musl";
      })
      .env
      .RUSTFLAGS
      or null;
    expected = "-C target-feature=-crt-static";
  };
}
