# The derivations behind buildWheel, buildCdylib and buildSdist: a crane
# dependency build and a final build (an sdist compiles nothing and has no
# dependency build), both running nix/builder/builder.sh with the environment that
# lib/planBuild.nix computes. Everything that can be decided without nixpkgs
# is decided there; this file only wires toolchain, tools and crane together.
{
  pkgs,
  crane,
  rust-overlay,
  wheelwright,
  defaultTools,
}: {
  kind,
  src,
  ...
} @ args: let
  inherit (pkgs) lib;
  fail = msg: throw "wheelwright: ${msg}";

  # every option checked (lib/data/options.nix), with its default
  options = wheelwright.checkOptions kind (builtins.removeAttrs args ["kind"]);
  inherit (options) rustVersion tools;
  # a misspelt tool would otherwise be ignored without a word
  unknownTools = builtins.filter (name: !(defaultTools ? ${name})) (builtins.attrNames tools);
  t =
    if unknownTools == []
    then defaultTools // tools
    else fail "tools.${builtins.head unknownTools} names no tool wheelwright runs; tools overrides ${lib.concatStringsSep ", " (builtins.attrNames defaultTools)}";
  source =
    if options.filterSource
    then wheelwright.filterSource src
    else src;
  plan = wheelwright.planBuild (args // {src = source;});

  rustBinFor = p: rust-overlay.lib.mkRustBin {} p;
  version = wheelwright.resolveRustVersion {
    available = builtins.attrNames (rustBinFor pkgs).stable;
    requested = rustVersion;
    inherit (plan.crate) toolchainChannel;
    rustVersion = plan.crate.rustVersion;
  };
  # The minimal profile: the default one wraps cargo (libsecret) and brings
  # components a build does not need.
  toolchainFor = p:
    (rustBinFor p).stable.${version}.minimal.override {
      targets = lib.optional (plan.target != null) plan.target.rustTarget;
    };
  craneLib = (crane.mkLib pkgs).overrideToolchain toolchainFor;

  zigPath = "${t.zig}/bin/zig";
  # what zig builds at every build's first link, built once per target and
  # glibc version (an sdist links nothing)
  zigCache =
    if plan.target == null
    then null
    else
      import ./zigCache.nix {
        inherit pkgs zigPath plan;
        toolchain = toolchainFor pkgs;
        inherit (t) cargo-zigbuild;
      };

  # the C libraries the crate links, each built for the target first; the
  # build finds each in its directoryVariables (OPENSSL_DIR = the library,
  # SQLITE3_LIB_DIR = its lib/), through pkg-config, and on rustc's link path
  targetLibraries = map (library: {
    inherit (library) directoryVariables pkgConfig;
    drv = import ./targetLibrary.nix {inherit pkgs zigPath library;};
  }) (plan.targetLibraries or []);
  librariesEnv =
    builtins.foldl' (env: l:
      env // builtins.mapAttrs (_: dir: "${l.drv}${lib.optionalString (dir != "") "/${dir}"}") l.directoryVariables) {}
    targetLibraries
    // lib.optionalAttrs (targetLibraries != []) {
      WW_LINK_SEARCH = lib.concatMapStringsSep ":" (l: "${l.drv}/lib") targetLibraries;
      PKG_CONFIG_PATH = lib.concatMapStringsSep ":" (l: "${l.drv}/lib/pkgconfig") (builtins.filter (l: l.pkgConfig != null) targetLibraries);
    };

  atLeast = name: drv: minimum: why:
    if lib.versionAtLeast (lib.getVersion drv) minimum
    then drv
    else fail "${name} ${lib.getVersion drv} is too old: ${why}; pass tools.${name} at ${minimum} or newer";
  # A project may ask for a maturin range ([build-system] requires), which pip
  # would honour; the build runs this one, so say so when it is outside.
  maturin = let
    wanted = plan.crate.maturinRequirement;
    version = lib.getVersion t.maturin;
    # a specifier it cannot read gives no warning: maturin's is the last word
    allows = builtins.tryEval (wheelwright.versionSatisfies wanted version);
    outside = wanted != null && allows.success && !allows.value;
  in
    lib.warnIf outside
    "wheelwright: ${plan.crate.pyproject} asks for maturin${wanted} ([build-system] requires), but the build runs maturin ${version}; pass tools.maturin at a version it allows if the build fails or the wheel differs"
    (atLeast "maturin" t.maturin "1.9.2" "older versions write wrong author metadata");
  auditwheel = atLeast "auditwheel" t.auditwheel "6.6.0" "older versions reject Rust's weak __cxa_thread_atexit_impl for manylinux2014";

  # The same Python for the dependency build and the final one: pyo3's build
  # script fingerprints the interpreter it finds.
  pythonsOnPath =
    if plan.pythonVersions != null && plan.target.arch == pkgs.stdenv.hostPlatform.parsed.cpu.name
    then
      map (v:
        pkgs."python${builtins.replaceStrings ["." "t"] ["" ""] v}${lib.optionalString (lib.hasSuffix "t" v) "FreeThreading"}")
      plan.pythonVersions
    else [];

  # The build's python3, which maturin and build scripts run: with a
  # build-requirements.lock, nixpkgs' CPython with the lock's wheels for this
  # system and CPython (fixed outputs; each wheel's dependencies are in the
  # lock too); else with the pinned cffi where it is needed.
  buildPython = let
    key = "${pkgs.stdenv.hostPlatform.system}/cp${builtins.replaceStrings ["."] [""] pkgs.python3.pythonVersion}";
    wheels =
      plan.buildRequirements.${key}
      or (fail "${plan.crate.buildRequirementsLock.path} has no wheels for ${key} (nixpkgs' python3 on this system); it has ${lib.concatStringsSep ", " (builtins.attrNames plan.buildRequirements)}: write it again with --python ${pkgs.python3.pythonVersion}");
    package = wheel:
      pkgs.python3Packages.buildPythonPackage {
        pname = wheel.name;
        inherit (wheel) version;
        format = "wheel";
        src = pkgs.fetchurl {inherit (wheel) url sha256;};
        # the lock holds the dependencies, as wheels of their own
        dontCheckRuntimeDeps = true;
      };
  in
    if plan.buildRequirements or null != null
    then pkgs.python3.withPackages (_: map package wheels)
    else if plan.cffiPython
    then t.cffi
    else pkgs.python3;

  commonArgs = {
    pname = "${plan.crate.name}-${plan.outputName}";
    inherit (plan.crate) version;
    src = source;
    strictDeps = true;
    cargoVendorDir = craneLib.vendorCargoDeps {
      src = source;
      # The workspace's lock, which need not be at the root.
      cargoLock = source + "/${plan.crate.lockFile}";
    };
    nativeBuildInputs =
      [t.wheelwright t.patchelf]
      ++ (
        if kind == "wheel"
        then
          [
            maturin
            auditwheel
            buildPython
          ]
          ++ pythonsOnPath
        else if kind == "cdylib"
        then [t.cargo-zigbuild] ++ lib.optional (plan.env.WW_HEADER != "") t.cbindgen
        # maturin sdist runs `cargo metadata`, on the vendored sources
        else [maturin]
      )
      # the tools the lock's build scripts are known to run (openssl-src's perl,
      # lib/data/buildTools.json), then the crate's own (a build script's nasm):
      # in both builds, which compile the same dependencies
      ++ map (name: pkgs.${name}) (plan.buildTools or [])
      ++ options.nativeBuildInputs;
    # zig stays off PATH: its setup hook would take over the build phases.
    env =
      plan.env
      // librariesEnv
      // {CARGO_ZIGBUILD_ZIG_PATH = zigPath;}
      // lib.optionalAttrs (zigCache != null) {WW_ZIG_CACHE = "${zigCache}";};
    doCheck = false;
    buildPhaseCargoCommand = "bash ${import ./builder}/builder.sh";
    # The builder verified the artifact; stdenv's fixup (host strip, patchelf,
    # reference rewriting) must not touch it afterwards.
    dontFixup = true;
  };

  # The dependency build gets the text of plan.depsSource's files and empty
  # stand-ins, never a path into the source: that would make it depend on
  # every source file, and rebuild on every edit.
  textOf = rel: pkgs.writeText (baseNameOf rel) (builtins.readFile (source + "/${rel}"));
  dummyScript = lib.concatStrings (
    map (rel: "install -D -m 0644 ${textOf rel} $out/${rel}\n") plan.depsSource.copy
    ++ map (rel: "[ -e $out/${rel} ] || install -D -m 0644 /dev/null $out/${rel}\n") plan.depsSource.empty
    ++ map (dir: "mkdir -p $out/${dir}\n") plan.depsSource.directories
  );

  # An sdist compiles nothing. The dependency build takes the final build's
  # name (crane appends -deps): outside Nix's sandbox (sandbox = false) the
  # build directory is named after the derivation, and cargo's fingerprints
  # hold paths in it (RUSTFLAGS' remaps, cargo-zigbuild's linker), so under
  # another name the final build would compile every dependency again.
  deps =
    if kind == "sdist"
    then null
    else
      (craneLib.buildDepsOnly (commonArgs
        // {
          extraDummyScript = dummyScript;
        }))
      .overrideAttrs {inherit (commonArgs) pname;};
in
  # what the build does differently from what was asked (lib/planBuild.nix)
  lib.foldr (message: lib.warn "wheelwright: ${message}") (
    # nix/builder/builder.sh refuses a cargo that cargo-auditable wraps. crane's cargo
    # here is always rust-overlay's (overrideToolchain), which is never wrapped.
    craneLib.mkCargoDerivation (commonArgs
      // {
        cargoArtifacts = deps;
        doInstallCargoArtifacts = false;
        installPhaseCommand = "";
        # Neither the toolchain nor the vendored sources may end up in a
        # shipped library (a wheel's members are compressed, so Nix's
        # reference scanner cannot see into it; the verifier does instead).
        disallowedReferences = lib.optionals (kind == "cdylib") [craneLib.rustc commonArgs.cargoVendorDir];
        passthru = {
          inherit plan deps zigCache;
          targetLibraries = map (l: l.drv) targetLibraries;
        };
        meta.platforms = lib.platforms.linux;
      })
  )
  plan.warnings
