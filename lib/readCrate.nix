# Reads what the build needs from a crate's sources, at evaluation time.
#
# Arguments:
#   src       the project root: a path or a filtered source
#   manifest  the package's Cargo.toml, relative to src; default the one
#             maturin finds from src's pyproject.toml (its `[tool.maturin]
#             manifest-path`, or rust/Cargo.toml in a src layout), else
#             "Cargo.toml"
#
# Returns { name; version; libName; crateTypes; hasLib; hasBin; bindings; usesPyo3;
# uniffiBindgen; workspaceRootPackage; lockedCrates;
# hasCbindgenConfig;
# toolchainChannel; rustVersion; manifest; maturinFindsManifest; lockDir;
# lockFile; pyproject; missesRootPyproject; distName; requiresPython;
# pyo3FfiVersion; pyo3Features; featureTable; maturinFeatures;
# maturinConditionalFeatures; maturinRequirement; buildRequires; buildSystemRequires;
# buildRequirementsLock; maturinCompatibility;
# maturinProfile; maturinStrip; standIns; },
# where `lockDir` is the nearest directory from the manifest's up to src that
# has a Cargo.lock (`lockFile`, relative to src),
# `pyproject` the pyproject.toml maturin reads (or null), and
# `standIns` the files and directories that pyproject and Cargo.toml name
# outside Cargo's view (readme, licence files, python-source), which a
# dependency build on crane's stand-in sources needs to exist. Fails
# evaluation, naming the file and the fix, when Cargo.toml, [package] or
# Cargo.lock is missing, when a [tool.maturin] key it reads has the wrong type,
# or when manifest-path or python-source names nothing (planBuild checks
# the crate types against the kind of build). A file that is not valid TOML fails with the TOML parser's error,
# which no Nix code can catch; the file is named in the error's trace.
{
  src,
  manifest ? null,
}: let
  root = toString src;
  at = rel: src + "/${rel}";
  exists = rel: builtins.pathExists (at rel);
  # A TOML syntax error cannot be caught (builtins.tryEval does not catch
  # fromTOML's error), so the file goes into the error's trace: Nix 2.26 shows
  # it, Nix 2.8 with --show-trace.
  readToml = rel: builtins.addErrorContext "while wheelwright reads ${root}/${rel} as TOML (fix the syntax error the TOML parser reports)" (builtins.fromTOML (builtins.readFile (at rel)));
  join = dir: file:
    if dir == "."
    then file
    else "${dir}/${file}";
  # "./rust/Cargo.toml" -> "rust/Cargo.toml"
  normalise = path: let
    m = builtins.match "(\\./)*(.*)" path;
  in
    builtins.elemAt m 1;
  # "a/b" -> [ "a/b" "a" "." ]
  ancestors = dir:
    if dir == "."
    then ["."]
    else [dir] ++ ancestors (dirOf dir);
  firstWith = file: dirs: let
    found = builtins.filter (d: exists (join d file)) dirs;
  in
    if found == []
    then null
    else builtins.head found;

  # [tool.maturin]'s keys that wheelwright reads, and what each must be:
  # maturin itself would refuse the file, but only once the build runs.
  maturinKeys = let
    string = example: {
      ok = builtins.isString;
      what = "a string";
      inherit example;
    };
  in {
    manifest-path = string "manifest-path = \"rust/Cargo.toml\"";
    python-source = string "python-source = \"python\"";
    module-name = string "module-name = \"my_package._native\"";
    data = string "data = \"my_package.data\"";
    compatibility = string "compatibility = \"manylinux_2_28\"";
    # maturin's other name for compatibility
    manylinux = string "manylinux = \"manylinux_2_28\"";
    profile = string "profile = \"dist\"";
    bindings = {
      ok = v: builtins.elem v ["pyo3" "pyo3-ffi" "bin" "cffi" "uniffi"];
      what = "one of \"pyo3\", \"pyo3-ffi\", \"bin\", \"cffi\" or \"uniffi\"";
      example = "bindings = \"bin\"";
    };
    strip = {
      ok = builtins.isBool;
      what = "true or false";
      example = "strip = true";
    };
    # maturin >= 1.12.4 also takes conditional entries, e.g.
    # { feature = "pyo3/abi3-py311"; python-version = ">=3.11"; }
    # (maturin src/pyproject_toml.rs, FeatureSpec)
    features = {
      ok = v: builtins.isList v && builtins.all isFeatureSpec v;
      item = isFeatureSpec;
      what = "a list of features (names, or tables with a `feature` name and string `python-version` or `python-implementation` conditions)";
      example = "features = [\"pyo3/extension-module\"]";
    };
  };
  isFeatureSpec = v:
    builtins.isString v
    || (builtins.isAttrs v
      && builtins.isString (v.feature or null)
      && builtins.all (k: builtins.elem k ["feature" "python-version" "python-implementation"] && builtins.isString v.${k}) (builtins.attrNames v));
  # maturin's FeatureSpec::split: a table without conditions is a plain feature.
  isConditional = spec: builtins.isAttrs spec && (spec ? python-version || spec ? python-implementation);
  typeNames = {
    set = "a table";
    int = "an integer";
    bool = "a boolean";
  };
  typeName = v: typeNames.${builtins.typeOf v} or "a ${builtins.typeOf v}";
  readPyproject = rel: let
    toml = readToml rel;
    table = toml.tool.maturin or {};
    wrong = builtins.filter (key: table ? ${key} && !(maturinKeys.${key}.ok table.${key})) (builtins.attrNames maturinKeys);
    key = builtins.head wrong;
    value = table.${key};
  in
    if wrong == []
    then toml
    else
      throw "wheelwright: ${root}/${rel}: [tool.maturin] ${key} must be ${maturinKeys.${key}.what}, not ${
        if builtins.isList value && maturinKeys.${key} ? item
        then "a list with ${typeName (builtins.head (builtins.filter (v: !maturinKeys.${key}.item v) value))} in it"
        else typeName value
      }; write it as e.g. ${maturinKeys.${key}.example}";

  # Run from src without --manifest-path, as pip runs it, maturin takes the
  # manifest that the root pyproject.toml names, else rust/Cargo.toml in a
  # src layout, else ./Cargo.toml.
  rootPyproject =
    if exists "pyproject.toml"
    then readPyproject "pyproject.toml"
    else null;
  maturinFindsManifest = manifest == null && rootPyproject != null;
  importName = builtins.replaceStrings ["-"] ["_"] (rootPyproject.project.name or "");
  srcLayout =
    exists "rust/Cargo.toml"
    && (rootPyproject ? tool.maturin.python-source || exists "src/${importName}");
  manifestPath = normalise (
    if manifest != null
    then manifest
    else if rootPyproject ? tool.maturin.manifest-path
    then rootPyproject.tool.maturin.manifest-path
    else if rootPyproject != null && srcLayout
    then "rust/Cargo.toml"
    else "Cargo.toml"
  );
  manifestDir = dirOf manifestPath;
  searched = ancestors manifestDir;

  isFile = rel: exists rel && builtins.elem ((builtins.readDir (at (dirOf rel))).${baseNameOf rel} or null) ["regular" "symlink"];
  noManifest =
    if isFile manifestPath
    then null
    else if manifest == null && rootPyproject ? tool.maturin.manifest-path
    then "wheelwright: ${root}/pyproject.toml: [tool.maturin] manifest-path = \"${rootPyproject.tool.maturin.manifest-path}\" names no file (${root}/${manifestPath} ${
      if exists manifestPath
      then "is a directory"
      else "does not exist"
    }); set it to the package's Cargo.toml, relative to pyproject.toml"
    else "wheelwright: ${root} has no ${manifestPath}; pass the crate's root directory as src (or set manifest to the package's Cargo.toml)";
  cargoToml =
    if noManifest == null
    then readToml manifestPath
    else throw noManifest;
  package =
    cargoToml.package
    or (throw "wheelwright: ${manifestPath} has no [package] table (a virtual workspace?); set manifest to the Cargo.toml of the package to build, e.g. manifest = \"crates/py/Cargo.toml\", or name it in pyproject.toml's [tool.maturin] manifest-path");
  libSection = cargoToml.lib or {};
  crateTypes = libSection.crate-type or ["lib"];
  # a library target: a [lib] table, or cargo's default src/lib.rs
  hasLib = cargoToml ? lib || exists (join manifestDir "src/lib.rs");
  libName = libSection.name or (builtins.replaceStrings ["-"] ["_"] package.name);
  # a dependency of the crate, for every target or for some
  dependsOn = name: (cargoToml.dependencies or {}) ? ${name} || builtins.any (t: (t.dependencies or {}) ? ${name}) (builtins.attrValues (cargoToml.target or {}));
  usesPyo3 = dependsOn "pyo3" || dependsOn "pyo3-ffi";
  # a binary target: [[bin]] tables, or cargo's default src/main.rs or src/bin/
  hasBin = cargoToml ? bin || exists (join manifestDir "src/main.rs") || exists (join manifestDir "src/bin");

  # uniffi's bindgen program, which maturin runs to write a uniffi module
  # (src/binding_generator/uniffi_binding.rs): a binary target named
  # uniffi-bindgen. Cargo names a package's src/main.rs after the package,
  # as glean-sdk's bindgen package is.
  bindgenIn = dir: toml:
    builtins.any (b: (b.name or null) == "uniffi-bindgen") (toml.bin or [])
    || ((toml.package.name or null) == "uniffi-bindgen" && exists (join dir "src/main.rs"))
    || exists (join dir "src/bin/uniffi-bindgen.rs")
    || exists (join dir "src/bin/uniffi-bindgen/main.rs");
  # a workspace's member directories, as listed (a trailing /* expanded)
  expandMembers = patterns: let
    expand = pattern: let
      glob = builtins.match "(.*)/\\*" pattern;
      parent = join lockDir (builtins.head glob);
    in
      if glob == null
      then [(join lockDir pattern)]
      else if exists parent
      then map (name: join parent name) (builtins.attrNames (builtins.readDir (at parent)))
      else [];
  in
    builtins.filter (dir: exists (join dir "Cargo.toml")) (builtins.concatMap expand patterns);
  memberDirs = expandMembers (workspaceToml.workspace.members or []);
  hasBindgen = dir: bindgenIn dir (readToml (join dir "Cargo.toml"));
  # maturin's lookup: `cargo metadata --no-deps` names as root the workspace
  # root's own package, else maturin takes the crate. With uniffi-bindgen
  # there, it runs `cargo run --bin uniffi-bindgen --manifest-path <the
  # crate>`, which needs it in the crate ("crate"); else, with one in any
  # member, `cargo run --bin uniffi-bindgen` in the workspace root, where
  # cargo looks in default-members, else in the root's package, else (a
  # virtual root) in every member ("workspace"). Where maturin's command
  # cannot reach it: "notInCrate" (the root's package has it, the crate not),
  # "notInRunPackages" (cargo's packages in the root lack it); null: nowhere.
  workspace = workspaceToml.workspace or {};
  rootPackageDir =
    if workspaceToml ? package
    then lockDir
    else manifestDir;
  runDirs =
    if workspace ? default-members
    then expandMembers workspace.default-members
    else if workspaceToml ? package
    then [lockDir]
    else memberDirs;
  uniffiBindgen =
    if hasBindgen rootPackageDir
    then
      (
        if hasBindgen manifestDir
        then "crate"
        else "notInCrate"
      )
    else if builtins.any hasBindgen (memberDirs ++ [manifestDir])
    then
      (
        if builtins.any hasBindgen runDirs
        then "workspace"
        else "notInRunPackages"
      )
    else null;

  lockDir = firstWith "Cargo.lock" searched;
  lockFile = join lockDir "Cargo.lock";
  lock = readToml lockFile;
  workspaceToml =
    if lockDir != null && lockDir != manifestDir
    then readToml (join lockDir "Cargo.toml")
    else cargoToml;
  inherited = field:
    if builtins.isAttrs (package.${field} or null) && package.${field}.workspace or false
    then workspaceToml.workspace.package.${field} or null
    else package.${field} or null;

  # The features the crate asks of pyo3 (or pyo3-ffi), its own workspace's
  # included: abi3 is one of them.
  pyo3Dependency = name: let
    dep = cargoToml.dependencies.${name} or null;
    fromWorkspace = workspaceToml.workspace.dependencies.${name} or {};
  in
    if dep == null
    then null
    else if builtins.isAttrs dep
    then
      (dep.features or [])
      ++ (
        if dep.workspace or false && builtins.isAttrs fromWorkspace
        then fromWorkspace.features or []
        else []
      )
    else [];
  pyo3Deps = builtins.filter (f: f != null) (map pyo3Dependency ["pyo3" "pyo3-ffi"]);

  # Given a manifest, maturin reads the nearest pyproject.toml above it, but
  # looks no higher than the parent of the manifest's workspace root.
  workspaceParent = dirOf lockDir;
  seen = dir: lockDir == "." || workspaceParent == "." || dir == workspaceParent || builtins.substring 0 (builtins.stringLength workspaceParent + 1) dir == "${workspaceParent}/";
  pyprojectDir =
    if maturinFindsManifest
    then "."
    else firstWith "pyproject.toml" (builtins.filter seen searched);
  pyprojectPath =
    if pyprojectDir == null
    then null
    else join pyprojectDir "pyproject.toml";
  pyproject =
    if pyprojectPath == null
    then {}
    else readPyproject pyprojectPath;
  maturin = pyproject.tool.maturin or {};
  project = pyproject.project or {};

  # Files maturin opens besides the Rust sources, relative to src; globs are
  # left out (a stand-in cannot match a glob it does not know).
  pyDir =
    if pyprojectDir == null
    then "."
    else pyprojectDir;
  path = dir: file:
    if builtins.isString file && builtins.match ".*[*?[].*" file == null
    then [(normalise (join dir file))]
    else [];
  # `readme = "README.md"` or `readme = { file = "README.md"; ... }`
  fileOrTable = dir: value:
    path dir (
      if builtins.isAttrs value
      then value.file or null
      else value
    );
  pythonSourceMissing = maturin ? python-source && !(exists (normalise (join pyDir maturin.python-source)));
  pythonPackage =
    if maturin ? python-source
    then path pyDir "${maturin.python-source}/${builtins.head (builtins.split "\\." (maturin.module-name or libName))}"
    else [];
  standIns = {
    files =
      map (dir: "${dir}/__init__.py") pythonPackage
      ++ fileOrTable pyDir (project.readme or null)
      ++ path pyDir (project.license.file or null)
      ++ builtins.concatMap (path pyDir) (project.license-files or [])
      ++ path manifestDir (inherited "readme")
      ++ path manifestDir (inherited "license-file");
    # maturin insists that python-source holds the module's package.
    directories = pythonPackage ++ path pyDir (maturin.data or null);
  };

  toolchainFile =
    if exists "rust-toolchain.toml"
    then builtins.readFile (at "rust-toolchain.toml")
    else if exists "rust-toolchain"
    then builtins.readFile (at "rust-toolchain")
    else null;
  legacyChannel = builtins.match "[[:space:]]*([^[:space:]\\[]+)[[:space:]]*" toolchainFile;
  toolchainChannel =
    if toolchainFile == null
    then null
    else if legacyChannel != null
    then builtins.head legacyChannel
    else (builtins.fromTOML toolchainFile).toolchain.channel or null;

  # PEP 427's escaping of a distribution name in a wheel's file name: runs
  # of -, _ and . become one _, in lower case.
  lower = builtins.replaceStrings (builtins.genList (i: builtins.substring i 1 "ABCDEFGHIJKLMNOPQRSTUVWXYZ") 26) (builtins.genList (i: builtins.substring i 1 "abcdefghijklmnopqrstuvwxyz") 26);
  distName = lower (builtins.concatStringsSep "_" (builtins.filter builtins.isString (builtins.split "[-_.]+" (project.name or package.name))));
in
  if noManifest != null
  then throw noManifest
  else if lockDir == null
  then
    throw "wheelwright: no Cargo.lock in ${builtins.concatStringsSep ", " (map (d:
      if d == "."
      then root
      else "${root}/${d}")
    searched)}; run `cargo generate-lockfile` in the crate's workspace root and commit it (in a flake, `git add Cargo.lock`: untracked files are invisible to Nix)"
  # Parsed here, so that a broken lock fails evaluation naming itself.
  else if !(builtins.isList (lock.package or []))
  then throw "wheelwright: ${root}/${lockFile}: `package` is not a list of [[package]] tables, so cargo did not write it; run `cargo generate-lockfile` in ${root}/${lockDir} and commit it"
  else if pythonSourceMissing
  then throw "wheelwright: ${root}/${pyprojectPath}: [tool.maturin] python-source = \"${maturin.python-source}\" names no directory (${root}/${join pyDir maturin.python-source} does not exist), and maturin would refuse it; create it with the Python package in it, or remove python-source"
  else {
    inherit (package) name;
    version = let
      v = inherited "version";
    in
      if v == null
      then "0.0.0"
      else v;
    rustVersion = inherited "rust-version";
    manifest = manifestPath;
    # where maturin finds uniffi's bindgen program: "crate", "workspace" or null
    inherit uniffiBindgen;
    # the package at the workspace root, whose directory has Cargo.lock, or null (a virtual root)
    workspaceRootPackage = workspaceToml.package.name or null;
    inherit libName crateTypes hasLib hasBin toolchainChannel maturinFindsManifest lockDir lockFile distName standIns;
    pyproject = pyprojectPath;
    # A manifest given outright that hides the root pyproject.toml from maturin.
    missesRootPyproject = rootPyproject != null && pyprojectPath != "pyproject.toml";
    pyo3Features =
      if pyo3Deps == []
      then null
      else builtins.concatLists pyo3Deps;
    # For the default interpreter matrix.
    requiresPython = project.requires-python or null;
    # the names of the packages in the lock (build scripts among them)
    lockedCrates = map (p: p.name) (lock.package or []);
    pyo3FfiVersion = let
      locked = builtins.filter (p: p.name == "pyo3-ffi") (lock.package or []);
    in
      if locked == []
      then null
      else (builtins.head locked).version;
    featureTable = cargoToml.features or {};
    # What maturin enables for every interpreter when no `features` option
    # replaces them, and the entries it enables for some interpreters only.
    maturinFeatures = map (spec:
      if builtins.isString spec
      then spec
      else spec.feature) (builtins.filter (spec: !isConditional spec) (maturin.features or []));
    maturinConditionalFeatures = builtins.filter isConditional (maturin.features or []);
    # maturin's version specifier in [build-system] requires, or null
    maturinRequirement = import ./maturinRequirement.nix (pyproject.build-system.requires or []);
    # the names of [build-system] requires (PEP 503-normalized: "cffi",
    # "typing-extensions"), which pip would install for the build
    buildRequires = import ./requirementNames.nix (pyproject.build-system.requires or []);
    # [build-system] requires as written, and the build-requirements.lock
    # beside pyproject.toml (nix/lock-build-requirements.py writes it) as
    # { path; requires; wheels; }, or null
    buildSystemRequires = pyproject.build-system.requires or [];
    buildRequirementsLock = let
      rel = join pyDir "build-requirements.lock";
    in
      if pyprojectPath != null && exists rel
      then builtins.fromJSON (builtins.readFile (at rel)) // {path = rel;}
      else null;
    # maturin's own settings for the wheels (its --compatibility, --profile
    # and --strip), each null when the pyproject does not set it
    maturinCompatibility = maturin.compatibility or maturin.manylinux or null;
    maturinProfile = maturin.profile or null;
    maturinStrip = maturin.strip or null;
    # What maturin builds (its --bindings): the pyproject's choice, else as
    # maturin detects it (src/bridge/detection.rs): with pyo3, a program for
    # a crate with a binary target and no cdylib, else null (a pyo3
    # extension module, whose kind maturin reads from the library's resolved
    # dependencies); without pyo3, "uniffi" for a crate that uses it, else
    # "cffi" for a cdylib, else a program for a binary target, else null
    # (maturin cannot tell; planBuild refuses it).
    bindings = let
      cdylib = hasLib && builtins.elem "cdylib" crateTypes;
    in
      if maturin ? bindings
      then maturin.bindings
      else if usesPyo3
      then
        if hasBin && !cdylib
        then "bin"
        else null
      else if dependsOn "uniffi"
      then "uniffi"
      else if cdylib
      then "cffi"
      else if hasBin
      then "bin"
      else null;
    # pyo3 or pyo3-ffi among its dependencies, for every target or some
    inherit usesPyo3;
    hasCbindgenConfig = exists (join manifestDir "cbindgen.toml");
  }
