# Computes everything about one build that does not need nixpkgs: the target,
# the policy, the crate's facts, the flake output name and the environment of
# nix/builder/builder.sh. The derivations and the offline test suite both run the
# builder with this environment, so they agree by construction.
#
# Arguments: the build's `kind`, "wheel", "cdylib" or "sdist" (maturin's
# source distribution, which has no target), and the options of
# lib/data/options.nix (`src` first), which lib/checkOptions.nix checks and
# completes with their defaults.
{
  resolveTarget,
  resolvePolicy,
  enabledFeatures,
  resolveAbi3,
  resolvePythonVersions,
  readCrate,
  checkOptions,
}: {kind, ...} @ args: let
  validKind = kind == "wheel" || kind == "cdylib" || kind == "sdist";
  options = checkOptions kind (builtins.removeAttrs args ["kind"]);
  inherit (options) src target policy manifest features noDefaultFeatures cargoExtraArgs maturinExtraArgs pythonVersions sourceDateEpoch writableVendoredSources;
  requestedLibraries = options.targetLibraries;
  fail = msg: throw "wheelwright: ${msg}";

  resolvedTarget = resolveTarget target;
  crate = readCrate {inherit src manifest;};
  # One policy for every target, or one per target: { <triple> = ...;
  # glibc = ...; musl = ...; }, the triple's entry first. Without one, a
  # wheel takes the pyproject's [tool.maturin] compatibility (maturin's) where
  # this target can honour it (a policy of its libc, at or above its floor),
  # else the floor.
  policyKeys = builtins.filter (k: k != "glibc" && k != "musl") (builtins.attrNames policy);
  unknownKeys = builtins.filter (k: !(builtins.tryEval (resolveTarget k)).success) policyKeys;
  chosenPolicy =
    if !builtins.isAttrs policy
    then policy
    else if unknownKeys != []
    then fail "policy names '${builtins.head unknownKeys}', which is neither glibc, musl nor a target triple; name a target of lib/data/targets.nix, or its libc"
    else policy.${resolvedTarget.triple} or policy.${resolvedTarget.libc} or null;
  pyprojectPolicy = let
    compatibility = crate.maturinCompatibility;
  in
    if kind == "wheel" && compatibility != null && (builtins.tryEval (resolvePolicy resolvedTarget compatibility).name).success
    then compatibility
    else null;
  resolvedPolicy = resolvePolicy resolvedTarget (
    if chosenPolicy != null
    then chosenPolicy
    else pyprojectPolicy
  );
  abi3 = resolveAbi3 {inherit crate features noDefaultFeatures;};
  interpreters =
    if kind == "wheel"
    then
      resolvePythonVersions {
        inherit crate abi3;
        requested = chosenPythonVersions;
      }
    else null;
  # The python target library's headers (one CPython's, not free-threaded)
  # serve a stable-ABI crate's abi3 wheel alone: without pythonVersions, an
  # abi3 and abi3t crate, whose default adds the free-threaded wheels, keeps
  # to that wheel, as pythonVersions = [ ] asks, and the plan names the
  # interpreters it leaves out (`warnings`).
  defaultInterpreters = resolvePythonVersions {
    inherit crate abi3;
    requested = null;
  };
  headersNarrowDefault = kind == "wheel" && pythonVersions == null && abi3 == "abi3-and-abi3t" && builtins.elem "python" libraryNames;
  chosenPythonVersions =
    if headersNarrowDefault
    then []
    else pythonVersions;

  # zig picks the glibc to link against from a version suffix on the target:
  # the Rust triple's (cargo-zigbuild's) and zig cc's own (C code)
  glibcSuffix =
    if resolvedTarget.libc == "glibc"
    then ".${resolvedPolicy.version}"
    else "";
  zigTarget = resolvedTarget.triple + glibcSuffix;
  ccTarget = resolvedTarget.zigTarget + glibcSuffix;

  # Rust's musl targets link statically by default, which a shared library
  # cannot; maturin turns it off for extension modules itself. A program
  # links musl dynamically too (a musllinux wheel may, as auditwheel judges
  # it): a static one needs rustc's own crt objects, which Debian's Rust lacks
  # and which zig provides, so the flake and the suite build it alike, with
  # the zig cache every build of the target shares.
  dynamicCrt = "-C target-feature=-crt-static";

  featureArgs =
    (
      if features == []
      then []
      else ["--features" (builtins.concatStringsSep "," features)]
    )
    ++ (
      if noDefaultFeatures
      then ["--no-default-features"]
      else []
    );

  interpreterArgs = builtins.concatMap (v: ["--interpreter" "python${v}"]);
  # pyo3's `abi3` without a version (not `abi3-py311`) targets the CPython
  # maturin builds with, which it finds only natively (cross, it asks for
  # -i): wheelwright names it, the oldest of the default matrix the crate
  # allows, as the first wheel of a per-interpreter build would be.
  abi3Versioned =
    builtins.any (f: builtins.match "abi3-py3[0-9]+" f != null) crate.pyo3Features
    || builtins.any (f: builtins.match "(pyo3|pyo3-ffi)[?]?/abi3-py3[0-9]+" f != null)
    (enabledFeatures {inherit crate features noDefaultFeatures;});
  abi3Args =
    if kind == "wheel" && builtins.elem abi3 ["abi3" "abi3-and-abi3t"] && !abi3Versioned
    then
      interpreterArgs [
        (builtins.head (resolvePythonVersions {
          inherit crate;
          abi3 = "per-interpreter";
        }))
      ]
    else [];
  # the one run's interpreters: the list's, or none (null: one wheel, the
  # stable ABI's)
  runInterpreterArgs =
    if interpreters == null || interpreters == []
    then abi3Args
    else interpreterArgs interpreters;

  commonCargoArgs = ["--locked" "--offline"] ++ featureArgs;
  # maturin reads the pyproject's profile and strip itself unless a flag
  # overrides them, and refuses --release beside --profile.
  wheelProfileArgs =
    if crate.maturinProfile != null || builtins.any (a: a == "--profile" || builtins.substring 0 10 a == "--profile=") (maturinExtraArgs ++ cargoExtraArgs)
    then []
    else ["--release"];
  # uniffi-bindgen reads the module's API from the library's ELF symbol
  # table, which maturin's strip removes ("No UniFFI metadata found"), so a
  # uniffi library is stripped by the builder after it (WW_STRIP_BUILT).
  stripArgs =
    if crate.bindings == "uniffi"
    then ["--strip" "false"]
    else if crate.maturinStrip == false
    then []
    else ["--strip"];
  manifestArgs = ["--manifest-path" crate.manifest];

  # From the root pyproject.toml, maturin finds the manifest itself, as
  # pip's build of the project does.
  maturinManifestArgs =
    if crate.maturinFindsManifest
    then []
    else manifestArgs;

  # A program in a wheel (maturin's bin bindings), as ruff and uv ship, or a
  # C library with the Python module cffi or uniffi generates for it: one
  # py3-none wheel per target, with no interpreter (a cffi build runs the
  # build machine's python3, with cffi, to generate the module; a uniffi
  # build runs the crate's uniffi-bindgen program, built for the build
  # machine).
  program = crate.bindings == "bin";
  ffiModule = builtins.elem crate.bindings ["cffi" "uniffi"];
  bindingArgs =
    if program || ffiModule
    then ["--bindings" crate.bindings]
    else [];

  maturinBuild = interpreters:
    ["build" "--zig"]
    ++ bindingArgs
    ++ stripArgs
    ++ ["--target" resolvedTarget.triple "--compatibility" resolvedPolicy.name]
    ++ wheelProfileArgs
    ++ commonCargoArgs
    ++ maturinManifestArgs
    ++ interpreters
    ++ cargoExtraArgs
    ++ maturinExtraArgs;

  # One maturin run per paragraph of WW_BUILD_ARGS. maturin picks one stable
  # ABI per run from the interpreters it is given (src/bridge/detection.rs):
  # an abi3 and abi3t crate gets its abi3 wheel from a run without
  # interpreters, and its free-threaded wheels from a run with them.
  buildArgs =
    if kind == "sdist"
    then ["sdist"] ++ maturinManifestArgs
    else if kind == "wheel" && abi3 == "abi3-and-abi3t" && chosenPythonVersions == null
    then maturinBuild abi3Args ++ [""] ++ maturinBuild (interpreterArgs interpreters)
    else if kind == "wheel"
    then maturinBuild runInterpreterArgs
    else ["zigbuild" "--lib" "--target" zigTarget "--release"] ++ commonCargoArgs ++ manifestArgs ++ cargoExtraArgs;

  # The build tools the lock's build scripts run beyond stdenv's
  # (data/buildTools.json), by nixpkgs' (and Debian's) package name.
  buildToolsData = builtins.fromJSON (builtins.readFile ./data/buildTools.json);
  # A target library with a .pc file adds pkg-config, which the -sys crates'
  # build scripts run through the pkg-config crate.
  buildTools = uniqueSorted (builtins.concatMap (name: buildToolsData.crates.${name} or []) crate.lockedCrates
    ++ (
      if pkgConfigLibraries != []
      then librariesJSON.pkgConfigTools
      else []
    ));

  # The C libraries built for the target (data/targetLibraries.json): those
  # asked for, and those the lock implies (openssl-src: openssl).
  librariesJSON = builtins.fromJSON (builtins.readFile ./data/targetLibraries.json);
  librariesData = librariesJSON.libraries;
  knownLibraries = builtins.attrNames librariesData;
  unknownLibraries = builtins.filter (name: !(librariesData ? ${name})) requestedLibraries;
  libraryNames =
    uniqueSorted (requestedLibraries
      ++ builtins.filter (name: builtins.any (c: builtins.elem c librariesData.${name}.fromLock) crate.lockedCrates) knownLibraries);
  requirementsLock = crate.buildRequirementsLock;
  pkgConfigLibraries = builtins.filter (name: librariesData.${name} ? pkgConfig) libraryNames;
  # A library's source: its tarball, or Debian's package of it for the
  # target's architecture (glibc targets only), with the file's name.
  sourceOf = library:
    if library ? source
    then library.source // {name = "${library.source.crate}-${library.source.version}.tar.gz";}
    else
      library.debian.files.${resolvedTarget.debian}
      // {
        inherit (library.debian) dir;
        name = "${library.debian.package}_${library.debian.version}_${resolvedTarget.debian}.deb";
      };
  debianLibraries = builtins.filter (name: librariesData.${name} ? debian) libraryNames;
  # built as shared objects, which only a wheel's repair bundles
  sharedLibraries = builtins.filter (name: librariesData.${name} ? shared) libraryNames;
  # "<link name> <library>" for each library a crate links as -l<link name>
  # (z: zlib), so that a failed link can name the option that gives it
  linkNames = builtins.concatMap (name: let
    library = librariesData.${name};
  in
    if library ? archive
    then ["${library.archive} ${name}"]
    else if library ? shared
    then ["${builtins.head (builtins.match "lib(.*)\\.so.*" library.shared.soname)} ${name}"]
    else [])
  knownLibraries;
  # The CPython headers (the python library) are one CPython's, not
  # free-threaded: they serve the abi3 wheel (whose C asks for the limited
  # API of its floor), not the wheels of the plan's interpreters.
  pythonHeadersVersion = builtins.head (builtins.match "([0-9]+\\.[0-9]+).*" librariesData.python.version);
  headersForOthers = builtins.elem "python" libraryNames && (builtins.elem abi3 ["per-interpreter" "abi3t"] || (interpreters != null && interpreters != []));
  pythonHeadersServe = "compiles C against the target's CPython headers (the target library python: CPython ${pythonHeadersVersion}, not free-threaded), which serve its abi3 wheel alone";
  targetLibraries =
    map (name: let
      library = librariesData.${name};
      source = sourceOf library;
    in {
      inherit name source;
      inherit (library) version buildTools directoryVariables;
      pkgConfig = library.pkgConfig or null;
      drvName = "wheelwright-${name}-${library.version}-${ccTarget}";
      # nix/targetLibrary.sh's environment; WW_LIBRARY_SOURCE, the
      # fetched tarball, is the derivation's (the suite's) to give
      env =
        {
          WW_LIBRARY = name;
          WW_LIBRARY_VERSION = library.version;
          WW_LIBRARY_RECIPE = library.recipe;
          WW_LIBRARY_SOURCES = lines (library.sources or []);
          WW_LIBRARY_HEADERS = lines (library.headers or []);
          WW_LIBRARY_ARCHIVE = library.archive or "";
          WW_LIBRARY_PKG_CONFIG = library.pkgConfig or "";
          WW_LIBRARY_SOURCE_DIR = source.dir;
          WW_LIBRARY_ZIG_TARGET = ccTarget;
          WW_LIBRARY_ZIG_CPU = resolvedTarget.zigCpu;
          WW_LIBRARY_CONFIGURE = lines (library.configure
            or []
            ++ (
              if resolvedTarget.libc == "musl"
              then library.configureMusl or []
              else []
            )
            ++ library.configureTarget.${resolvedTarget.arch} or []);
          SOURCE_DATE_EPOCH = toString sourceDateEpoch;
        }
        // (
          if library ? shared
          then {
            WW_LIBRARY_SONAME = library.shared.soname;
            WW_LIBRARY_SHARED_LIBRARIES = lines library.shared.libraries;
          }
          else {}
        );
    })
    libraryNames;

  # Cargo's release profile strips debug information, which zig's linker
  # does by stripping the symbol table too, and uniffi-bindgen reads the
  # module's API from it: a uniffi library is linked unstripped (the
  # profile's strip = "none"), and the builder strips it once the module is
  # written (WW_STRIP_BUILT).
  unstrippedLink = kind == "wheel" && crate.bindings == "uniffi";

  # a profile's name as Cargo's environment variables spell it ("my-dist" -> "MY_DIST")
  cargoEnvName = let
    lower = builtins.genList (i: builtins.substring i 1 "abcdefghijklmnopqrstuvwxyz-") 27;
    upper = builtins.genList (i: builtins.substring i 1 "ABCDEFGHIJKLMNOPQRSTUVWXYZ_") 27;
  in
    builtins.replaceStrings lower upper;
  lines = builtins.concatStringsSep "\n";
  # names once each, sorted (an attribute set's names)
  uniqueSorted = names:
    builtins.attrNames (builtins.listToAttrs (map (name: {
        inherit name;
        value = null;
      })
      names));
  optional = cond: x:
    if cond
    then [x]
    else [];
in
  if !validKind
  then fail "kind must be \"wheel\", \"cdylib\" or \"sdist\", not '${toString kind}'"
  else if kind == "sdist" && crate.pyproject == null
  then fail "an sdist is a Python source distribution, and ${toString src} has no pyproject.toml; add one whose [build-system] names maturin, or build only wheels and C libraries"
  # maturin builds a library of any crate type as the extension module
  # (`cargo rustc --crate-type cdylib`); cargo builds a C library only as
  # the crate declares it.
  else if kind == "cdylib" && !(builtins.elem "cdylib" crate.crateTypes)
  then fail "crate '${crate.name}' builds crate-type [${builtins.concatStringsSep ", " crate.crateTypes}] without cdylib; add `[lib] crate-type = [\"cdylib\"]` to ${crate.manifest}"
  else if kind == "wheel" && !crate.hasLib && !crate.hasBin
  then fail "crate '${crate.name}' has neither a library nor a binary target (next to ${crate.manifest}: src/lib.rs or [lib] for an extension module, src/main.rs or [[bin]] for a program in a wheel); add the one it should build"
  # maturin would run uniffi-bindgen from PATH, whose version must match the
  # crate's uniffi; the crate's own program always does.
  else if kind == "wheel" && crate.bindings == "uniffi" && crate.uniffiBindgen == null
  then fail "crate '${crate.name}' has uniffi bindings but no uniffi-bindgen program, which maturin runs to write the Python module; add one to the crate, as uniffi's documentation shows: a file uniffi-bindgen.rs with `fn main() { uniffi::uniffi_bindgen_main() }`, and in ${crate.manifest} `[[bin]] name = \"uniffi-bindgen\"`, `path = \"uniffi-bindgen.rs\"`, `required-features = [\"bindgen\"]` with `[features] bindgen = [\"uniffi/cli\"]`"
  # maturin finds the program through `cargo metadata` and `cargo run`
  # (readCrate's uniffiBindgen), which cannot reach it in every layout
  else if kind == "wheel" && crate.bindings == "uniffi" && crate.uniffiBindgen == "notInRunPackages"
  then
    fail "crate '${crate.name}' has uniffi bindings, and maturin would not find its uniffi-bindgen program: maturin runs `cargo run --bin uniffi-bindgen` in the workspace root, where cargo looks only in ${
      if crate.workspaceRootPackage != null
      then "the root's own package '${crate.workspaceRootPackage}'"
      else "[workspace] default-members"
    }, which has none; list the package with the program in [workspace] default-members in ${
      if crate.lockDir == "."
      then "Cargo.toml"
      else "${crate.lockDir}/Cargo.toml"
    }"
  else if kind == "wheel" && crate.bindings == "uniffi" && crate.uniffiBindgen == "notInCrate"
  then fail "crate '${crate.name}' has uniffi bindings, and maturin would not find its uniffi-bindgen program: the workspace root's package '${crate.workspaceRootPackage}' has one, so maturin runs `cargo run --bin uniffi-bindgen --manifest-path ${crate.manifest}`, and crate '${crate.name}' has none; give it the program too"
  else if kind == "wheel" && crate.bindings == null && !crate.usesPyo3
  then fail "crate '${crate.name}' neither depends on pyo3 nor builds a cdylib or a program, so maturin cannot tell what to build; add pyo3 for an extension module, `[lib] crate-type = [\"cdylib\"]` for a cffi module, or a binary target, or set [tool.maturin] bindings"
  else if kind == "wheel" && ffiModule && pythonVersions != null
  then fail "pythonVersions apply to pyo3 extension modules, and crate '${crate.name}' has ${crate.bindings} bindings, whose one wheel per target loads in any CPython; leave pythonVersions unset"
  else if kind == "wheel" && program && crate.usesPyo3
  then fail "crate '${crate.name}' is built as a program (bin bindings) but depends on pyo3: a program that embeds Python is built per interpreter, which wheelwright does not do; drop pyo3, or give the crate a library for an extension module"
  else if kind == "wheel" && program && pythonVersions != null
  then fail "pythonVersions apply to extension modules, and crate '${crate.name}' is a program (bin bindings), whose one wheel per target runs under any Python; leave pythonVersions unset"
  else if kind != "cdylib" && crate.missesRootPyproject
  then
    fail "manifest = \"${crate.manifest}\" hides pyproject.toml at the root from maturin, which would read ${
      if crate.pyproject == null
      then "no pyproject.toml"
      else crate.pyproject
    } instead and build another package; leave manifest unset and name the crate in the root pyproject.toml's [tool.maturin] manifest-path"
  else if kind == "wheel" && requirementsLock != null && requirementsLock.requires != crate.buildSystemRequires
  then fail "${requirementsLock.path} was written for [build-system] requires = ${builtins.toJSON requirementsLock.requires}, and ${crate.pyproject} now says ${builtins.toJSON crate.buildSystemRequires}; write it again with wheelwright's nix/lock-build-requirements.py"
  else if kind == "wheel" && requirementsLock != null && crate.bindings == "cffi" && !(builtins.any (ws: builtins.any (w: w.name == "cffi") ws) (builtins.attrValues requirementsLock.wheels))
  then fail "crate '${crate.name}' has cffi bindings, whose module maturin writes with cffi, and ${requirementsLock.path} gives the build's Python no cffi; add cffi to [build-system] requires and write the lock again"
  else if kind != "sdist" && unknownLibraries != []
  then fail "targetLibraries names '${builtins.head unknownLibraries}', which wheelwright does not build; it builds ${builtins.concatStringsSep ", " knownLibraries} (lib/data/targetLibraries.json)"
  else if kind != "sdist" && debianLibraries != [] && resolvedTarget.libc != "glibc"
  then let
    library = builtins.head debianLibraries;
  in
    fail "the target library ${library} (${
      if builtins.elem library requestedLibraries
      then "asked for by targetLibraries"
      else "which the lock's ${builtins.concatStringsSep ", " (builtins.filter (c: builtins.elem c crate.lockedCrates) librariesData.${library}.fromLock)} needs"
    }) is Debian's build for glibc, and ${resolvedTarget.triple} is a ${resolvedTarget.libc} target; build crate '${crate.name}' for glibc targets"
  else if kind == "cdylib" && sharedLibraries != []
  then let
    library = builtins.head sharedLibraries;
    inherit (librariesData.${library}.shared) soname;
  in
    fail "the target library ${library} is a shared object (${soname}), which a wheel's repair bundles and a C library (cdylib) cannot; build crate '${crate.name}' as a wheel, or ship ${soname} beside the C library"
  else if headersForOthers
  then
    fail "crate '${crate.name}' ${pythonHeadersServe}, and it would build ${
      if abi3 == "per-interpreter"
      then "wheels for each interpreter (pyo3's abi3 feature is off); turn on pyo3's abi3 feature"
      else if abi3 == "abi3t"
      then "its abi3t wheel alone (pyo3's abi3t feature without abi3), for free-threaded CPython too; turn on pyo3's abi3 feature"
      else "wheels for ${builtins.concatStringsSep ", " interpreters}; set pythonVersions = [ ] to build its abi3 wheel alone"
    }"
  else if kind == "sdist"
  then {
    inherit crate;
    pythonVersions = null;
    warnings = [];
    target = null;
    policy = null;
    outputName = "sdist";
    env = {
      WW_KIND = kind;
      WW_MANIFEST = crate.manifest;
      # The sdist's distribution name, as its file name spells it.
      WW_DIST_NAME = crate.distName;
      WW_CRATE_NAME = crate.name;
      WW_BUILD_ARGS = lines buildArgs;
      SOURCE_DATE_EPOCH = toString sourceDateEpoch;
      CARGO_NET_OFFLINE = "true";
    };
  }
  else {
    inherit crate abi3;
    # what the build must have on PATH beyond stdenv, by package name
    inherit buildTools;
    # the C libraries to build for the target first, each a derivation whose
    # directory (or one in it) the build gets in its directoryVariables
    inherit targetLibraries;
    # The build's python3 imports the pinned cffi: maturin writes a cffi
    # module with it, and a build script may run it (cryptography's
    # generates C with cffi, which its [build-system] requires names).
    cffiPython = crate.bindings == "cffi" || builtins.elem "cffi" crate.buildRequires;
    # With a build-requirements.lock, the build's python3 has exactly its
    # wheels instead: { "<system>/cp<XY>" = [{ name; version; url; sha256; }]; }
    buildRequirements =
      if requirementsLock != null
      then requirementsLock.wheels
      else null;
    # The interpreters of a per-interpreter wheel build (maturin would
    # otherwise take whichever Python is on PATH), or null.
    pythonVersions = interpreters;
    # What the build does differently from what was asked, one message each,
    # which the flake and `--crate` show as warnings.
    warnings = optional headersNarrowDefault "crate '${crate.name}' ${pythonHeadersServe}, so it builds no wheel for ${builtins.concatStringsSep ", " defaultInterpreters}; set pythonVersions = [ ] to say so";
    target = resolvedTarget;
    policy = resolvedPolicy;
    outputName = "${kind}-${resolvedTarget.outputArch}";
    # What the dependency build needs beyond crane's stand-in sources (its
    # Cargo files and root Cargo.lock), relative to src: files to copy as
    # they are, empty stand-ins for files maturin opens, and directories.
    depsSource = {
      copy =
        optional (crate.lockDir != ".") crate.lockFile
        ++ optional (crate.pyproject != null) crate.pyproject;
      empty = crate.standIns.files;
      directories = crate.standIns.directories;
    };
    env =
      {
        WW_KIND = kind;
        WW_TARGET = resolvedTarget.triple;
        # cargo-zigbuild's target: the triple, with the glibc version to link against
        WW_ZIG_TARGET = zigTarget;
        WW_ARCH = resolvedTarget.arch;
        WW_LIBC = resolvedTarget.libc;
        WW_LIBC_SONAME = resolvedTarget.libcSoname;
        WW_POLICY = resolvedPolicy.name;
        WW_PLATFORM_TAG = resolvedPolicy.platformTag;
        WW_MANIFEST = crate.manifest;
        # the workspace's lock, which the builder may prune as cargo does
        WW_LOCK_FILE = crate.lockFile;
        # The wheels' distribution name, as their file names spell it.
        WW_DIST_NAME = crate.distName;
        WW_LIB_NAME = crate.libName;
        WW_CRATE_NAME = crate.name;
        WW_HEADER =
          if kind == "cdylib" && crate.hasCbindgenConfig
          then "1"
          else "";
        # One argument per line (arguments may contain spaces); a wheel's
        # maturin runs, when there are two, apart by an empty line.
        WW_BUILD_ARGS = lines buildArgs;
        # auditwheel 6.8 accepts only the build machine's architecture in
        # --plat; `auto` takes the wheel's own and tags the most compatible
        # policy it meets, which zig's glibc floor keeps at or below this one
        # (the builder then makes the verifier prove WW_PLATFORM_TAG holds).
        WW_REPAIR_ARGS = lines ["repair" "--plat" "auto" "--only-plat"];
        WW_TARGET_LIBRARY_LINKS = lines linkNames;
        SOURCE_DATE_EPOCH = toString sourceDateEpoch;
        CARGO_BUILD_INCREMENTAL = "false";
        CARGO_NET_OFFLINE = "true";
        WW_WRITABLE_VENDOR =
          if writableVendoredSources || builtins.any (name: builtins.elem name buildToolsData.copiedSources) crate.lockedCrates
          then "1"
          else "";
      }
      // builtins.foldl' (env: name: env // librariesData.${name}.env) {} libraryNames
      # of the libraries' directoryVariables, those for build scripts alone
      // (
        let
          names = builtins.concatMap (name: librariesData.${name}.buildScriptsOnly or []) libraryNames;
        in
          if names != []
          then {WW_BUILD_SCRIPT_ENV = lines names;}
          else {}
      )
      # The pkg-config crate refuses cross builds unless allowed, and links
      # what it finds dynamically unless told: these libraries are static.
      # No directory of pkg-config's own is searched (the host's, in the
      # suite): only the target libraries' (PKG_CONFIG_PATH).
      // (
        if pkgConfigLibraries != []
        then {
          PKG_CONFIG_ALLOW_CROSS = "1";
          PKG_CONFIG_ALL_STATIC = "1";
          PKG_CONFIG_LIBDIR = "";
        }
        else {}
      )
      // (
        if (kind == "cdylib" || program) && resolvedTarget.libc == "musl"
        then {RUSTFLAGS = dynamicCrt;}
        else {}
      )
      // (
        if unstrippedLink
        then {
          "CARGO_PROFILE_${cargoEnvName (
            if crate.maturinProfile == null
            then "release"
            else crate.maturinProfile
          )}_STRIP" = "none";
          WW_STRIP_BUILT = "1";
        }
        # maturin strips the module it links, not the shared objects its
        # repair bundles (<module>.libs/, found on the build scripts' link
        # paths): a stripped build strips those too, as auditwheel's repair
        # --strip would, or one compiled by zig cc (debug information by
        # default) would carry the build's paths
        else if kind == "wheel" && stripArgs == ["--strip"]
        then {WW_STRIP_BUNDLED = "1";}
        else {}
      );
    # The zig cache this build starts from (nix/zigCache.nix): its name and
    # the environment of the builder's zig-cache run, which links an empty
    # library and program as wheels and libraries link (dynamically, also on
    # musl; on glibc that is the default).
    # An unstripped link makes zig build its runtime (compiler-rt,
    # libunwind) with debug information, so it has a cache of its own.
    zigCache = {
      name =
        "wheelwright-zig-cache-${zigTarget}"
        + (
          if unstrippedLink
          then "-unstripped"
          else ""
        );
      env =
        {
          WW_KIND = "zig-cache";
          WW_TARGET = resolvedTarget.triple;
          WW_ZIG_TARGET = zigTarget;
          RUSTFLAGS = dynamicCrt;
        }
        // (
          if unstrippedLink
          then {CARGO_PROFILE_RELEASE_STRIP = "none";}
          else {}
        );
    };
  }
