# Every option of buildWheel, buildCdylib, buildSdist and targetPackages, once,
# in the README's order. Each has:
#   name, type   lib/checkOptions.nix checks a given value against the type
#   default      the value when the option is not given (null where the plan
#                or the build decides; defaultText then says what it does)
#   kinds        the builds it applies to. A wheel or cdylib build refuses an
#                option of the other kind (with `hint`, when there is one); an
#                sdist ignores the options that concern a target, so that one
#                set of options serves all three.
#   layer        who reads it: "plan" (lib/planBuild.nix), "build" (the
#                derivation, nix/buildArtifact.nix) or "packages"
#                (targetPackages, which passes each build only its options)
#   doc          its line in the README's options table
#   example      (lists) shown when a value has the wrong type
# planBuild checks every option given against this table and fills in the
# defaults; the README's options table is made from it
# (checks/offline/options_doc.py, which the nix stage runs, fails when the two
# differ).
let
  all = ["wheel" "cdylib" "sdist"];
  compiled = ["wheel" "cdylib"];
in [
  {
    name = "src";
    type = "path";
    default = null;
    defaultText = "(required)";
    kinds = all;
    layer = "plan";
    doc = "the project's root directory: the crate's, or the one with `pyproject.toml`";
  }
  {
    name = "target";
    type = "string";
    default = null;
    defaultText = "(required)";
    kinds = compiled;
    layer = "plan";
    doc = "a triple from the table above";
  }
  {
    name = "policy";
    type = "nullOr string or attribute set of strings";
    example = ''{ glibc = "manylinux_2_28"; "powerpc64le-unknown-linux-gnu" = "manylinux_2_34"; }'';
    default = null;
    defaultText = "for a wheel, `[tool.maturin] compatibility` where the target can honour it; else the target's floor";
    kinds = compiled;
    layer = "plan";
    doc = "`\"manylinux_2_28\"`, `\"manylinux2014\"` (legacy aliases are accepted), `\"musllinux_1_2\"`, …, or one per target: `{ glibc = \"manylinux_2_28\"; musl = \"musllinux_1_2\"; \"powerpc64le-unknown-linux-gnu\" = \"manylinux_2_34\"; }` (a triple's entry first, then its libc's; a target without either gets the default). For a cdylib this sets the glibc it links against. For a wheel, the pyproject's `compatibility` (or `manylinux`) counts only where it names a policy of the target's libc at or above its floor; `pypi` and `linux` are no policy (wheelwright's wheels always meet PyPI's rules).";
  }
  {
    name = "rustVersion";
    type = "nullOr string";
    default = null;
    defaultText = "the crate's `rust-toolchain(.toml)` channel, otherwise the newest stable";
    kinds = all;
    layer = "build";
    doc = "a stable release such as `\"1.85.0\"` or `\"1.85\"`";
  }
  {
    name = "manifest";
    type = "nullOr string";
    default = null;
    defaultText = "what maturin finds";
    kinds = all;
    layer = "plan";
    doc = "the package's manifest, relative to `src`. By default the one `pyproject.toml` names (`[tool.maturin] manifest-path`, or `rust/Cargo.toml` in a src layout), else `Cargo.toml`. Its `Cargo.lock` is looked for from its directory up to `src`.";
  }
  {
    name = "features";
    type = "list of strings";
    example = ''[ "a" "b" ]'';
    default = [];
    kinds = compiled;
    layer = "plan";
    doc = "cargo features to enable";
  }
  {
    name = "noDefaultFeatures";
    type = "bool";
    default = false;
    kinds = compiled;
    layer = "plan";
    doc = "turns off the crate's default features";
  }
  {
    name = "cargoExtraArgs";
    type = "list of strings";
    example = ''[ "a" "b" ]'';
    default = [];
    kinds = compiled;
    layer = "plan";
    doc = "extra arguments for the cargo step";
  }
  {
    name = "maturinExtraArgs";
    type = "list of strings";
    example = ''[ "a" "b" ]'';
    default = [];
    kinds = ["wheel"];
    hint = "use cargoExtraArgs for a cdylib";
    layer = "plan";
    doc = "extra arguments for `maturin build`; a `--profile` here replaces wheelwright's `--release`, as the pyproject's `[tool.maturin] profile` does (and its `strip = false` drops `--strip`)";
  }
  {
    name = "pythonVersions";
    type = "nullOr list of strings";
    example = ''[ "3.12" "3.14t" ]'';
    default = null;
    kinds = ["wheel"];
    layer = "plan";
    doc = "a list of CPython 3.9 to 3.14 and the free-threaded `3.14t`, such as `[ \"3.12\" \"3.14t\" ]`, builds one wheel per interpreter. `\"3.13t\"` is refused with the reason (its free-threaded build was experimental; PyO3 0.29 and cibuildwheel 4 dropped it; use `\"3.14t\"`), and so is a version newer than the crate's locked pyo3 builds for. `null` builds one abi3 wheel for a crate that turns on pyo3's `abi3` feature (`abi3` without a version builds for the oldest CPython of the default matrix the crate allows, which wheelwright names to maturin, as maturin asks when cross-compiling), one `cp315-abi3.abi3t` wheel (PEP 803: CPython 3.15 and newer, free-threaded or not) for one that turns on `abi3t`, and for one that turns on both, the abi3 wheel, a `cp314t` wheel and the abi3t one (as maturin builds them when asked apart; with the `python` target library, whose headers are not free-threaded, the abi3 wheel alone, and evaluation warns) (in `Cargo.toml`, its features, `[tool.maturin] features` or `features`); a crate without either gets the default matrix of [`lib/data/pythons.nix`](lib/data/pythons.nix), CPython 3.11 to 3.14, less what its `requires-python` or its locked pyo3 rules out. maturin never picks whichever Python is on `PATH`.";
  }
  {
    name = "sourceDateEpoch";
    type = "int";
    default = 315532800;
    defaultText = "`315532800` (1980-01-01)";
    kinds = all;
    layer = "plan";
    doc = "the timestamp given to archive members";
  }
  {
    name = "filterSource";
    type = "bool";
    default = true;
    kinds = all;
    layer = "build";
    doc = "leaves `target/`, `result`, `.git`, `flake.nix` and `flake.lock` out of the sources";
  }
  {
    name = "nativeBuildInputs";
    type = "list of packages";
    example = "[ pkgs.nasm ]";
    default = [];
    kinds = all;
    layer = "build";
    doc = "build tools that the crate's build scripts run, such as `[ pkgs.nasm pkgs.autoconf pkgs.automake pkgs.libtool ]` for a crate that builds ISA-L; on `PATH` in the dependency build and the final one. Beside stdenv's (a C compiler, make, coreutils, sed, grep, awk, tar, patch), wheelwright adds the tools of crates it knows from the lock (`lib/data/buildTools.json`: cmake for the cmake crate, autotools for the autotools crate); `--crate` takes the package names (`--option nativeBuildInputs='[ \"nasm\" ]'`) and puts only these on `PATH`, as a flake build has them";
  }
  {
    name = "targetLibraries";
    type = "list of strings";
    example = "[ \"openssl\" ]";
    default = [];
    kinds = compiled;
    layer = "plan";
    doc = "C libraries the crate links, built once per target by wheelwright (`lib/data/targetLibraries.json`: `openssl`, OpenSSL 3.5 from openssl-src's tree; `sqlite`, SQLite 3.54 from libsqlite3-sys's amalgamation; `zlib`, `zstd`, `bzip2` and `libffi` from their `-sys` crates' trees; `unixodbc`, unixODBC 2.3.14 from unix-odbc's tree, as the shared object `libodbc.so.2` that the wheel's repair bundles, for odbc-sys without `static`) with the wheel's zig and glibc floor, static (but `unixodbc`) and position-independent, and handed to the `-sys` crate as it reads them (`OPENSSL_DIR` and `OPENSSL_STATIC`; `SQLITE3_LIB_DIR`, `SQLITE3_INCLUDE_DIR` and `SQLITE3_STATIC`; pkg-config, for cross builds and static libraries; each library's `lib/` on rustc's link path); and `python`, the target's CPython 3.13 headers (Debian's package for its architecture; glibc targets), as `PYO3_CROSS_LIB_DIR`, for a build script that compiles C against `Python.h`. A lock that names openssl-src (openssl-sys's `vendored` feature) gets `openssl` without asking: `OPENSSL_NO_VENDOR` then keeps the crate's build script from compiling its own, which would leave the build directory in the library; one that names cryptography-cffi gets `python`";
  }
  {
    name = "writableVendoredSources";
    type = "bool";
    default = false;
    kinds = compiled;
    layer = "plan";
    doc = "builds from a writable copy of the vendored crates, as nixpkgs' `cargoSetupHook` does and crane does not. Needed when a dependency's build script writes into its own sources, or copies them with their modes and then fills the copy (isal-sys, which cramjam uses). Both builds copy every vendored crate, so it costs a little time. wheelwright turns it on by itself for a lock that names a crate of `lib/data/buildTools.json`'s `copiedSources` (askama's derive, which uniffi-bindgen's templates use, cannot read its files through crane's symlinked sources).";
  }
  {
    name = "tools";
    type = "attrs";
    example = "{ maturin = pkgs.maturin; }";
    default = {};
    defaultText = "the pinned tools (below)";
    kinds = all;
    layer = "build";
    doc = "overrides `maturin`, `auditwheel`, `zig`, `cargo-zigbuild`, `cbindgen`, `patchelf`, `cffi` (the python3, with cffi, that a cffi build generates its module with) or `wheelwright` (the CLI that verifies each artifact); another name is refused. maturin must be at least 1.9.2 and auditwheel at least 6.6.0; older versions fail evaluation with the reason.";
  }
  {
    name = "targets";
    type = "list of strings";
    example = ''[ "x86_64-unknown-linux-gnu" ]'';
    default = null;
    defaultText = "every glibc target";
    kinds = [];
    layer = "packages";
    doc = "the triples to make outputs for";
  }
  {
    name = "wheel";
    type = "bool";
    default = true;
    kinds = [];
    layer = "packages";
    doc = "make `wheel-<arch>` outputs, `sdist`, `dist` and `publish`";
  }
  {
    name = "cdylib";
    type = "bool";
    default = false;
    kinds = [];
    layer = "packages";
    doc = "make `cdylib-<arch>` outputs";
  }
]
