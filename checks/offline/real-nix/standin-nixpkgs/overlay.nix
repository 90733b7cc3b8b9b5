# The leaves of the build graph that the native stdenv would still build from
# downloaded sources, each mapped to binaries of the trixie root (sandbox-paths
# expose /usr) or of the proving ground (its Rust, @RUST_ROOT@, and cargo tools,
# @CARGO_TOOLS@, which the stage writes in and mounts): the build tools of
# stdenv and of crane's hooks, the Rust that nix/tools.nix builds cbindgen with,
# the Python it installs the pinned wheels with, and the formatter.
final: prev: let
  link = name: dir: bins: let
    drv = prev.stdenvNoCC.mkDerivation {
      name = "host-${name}";
      meta.mainProgram = builtins.head bins;
      dontUnpack = true;
      dontFixup = true;
      installPhase = "mkdir -p $out/bin\n" + prev.lib.concatMapStrings (b: "ln -s ${dir}/${b} $out/bin/${b}\n") bins;
    };
  in
    drv // prev.lib.genAttrs ["bin" "out" "dev" "man"] (_: drv);
  host = name: link name "/usr/bin";
  rust = link "rust" "@RUST_ROOT@/usr/bin" ["rustc" "cargo" "rustdoc"];
  coreutilsBins = prev.lib.splitString " " (builtins.readFile ./coreutils.txt);
  python = "3.13";
in {
  bash = host "bash" ["bash" "sh"] // {shellPath = "/bin/bash";};
  bashNonInteractive = final.bash;
  coreutils = host "coreutils" coreutilsBins;
  diffutils = host "diffutils" ["cmp" "diff" "diff3" "sdiff"];
  perl = host "perl" ["perl"];
  pkg-config = host "pkg-config" ["pkg-config"];
  xz = host "xz" ["xz" "unxz" "xzcat" "lzma"];
  patchelf = host "patchelf" ["patchelf"];
  rsync = host "rsync" ["rsync"];
  zstd = host "zstd" ["zstd" "unzstd" "zstdcat"];
  jq = host "jq" ["jq"];
  unzip = host "unzip" ["unzip"];
  lndir = host "lndir" ["lndir"];
  # the formatter: the proving ground's alejandra (3.1.0; nixpkgs builds 4.0.0
  # from vendored crates, with Python tooling the host python3 lacks)
  alejandra = link "alejandra" "@CARGO_TOOLS@/bin" ["alejandra"];

  cargo = rust // {version = "@RUST_VERSION@";};
  rustc =
    final.cargo
    // {
      targetPlatforms = prev.lib.platforms.linux;
      badTargetPlatforms = [];
    };
  rustPlatform = final.makeRustPlatform {
    inherit (final) rustc cargo;
    # its wrapper's --undefined linker flag is what zig rejects; cbindgen needs none
    cargo-auditable.meta.broken = true;
  };

  # The root's CPython (with libpython3.13-dev for pyo3's tests), and a
  # buildPythonPackage that only installs a wheel, which is all nix/tools.nix
  # asks of it (format = "wheel", dependencies, makeWrapperArgs).
  python3 =
    host "python3" ["python3" "python${python}"]
    // {
      interpreter = "/usr/bin/python3";
      executable = "python3";
      pythonVersion = python;
      sitePackages = "lib/python${python}/site-packages";
      # the root's CPython importing the given wheels and theirs (nix/tools.nix's
      # cffi): a venv, so that sys.executable, which maturin runs, is this one
      withPackages = select: let
        packages = select {};
        sites = map (p: "${p}/lib/python${python}/site-packages") (packages ++ prev.lib.concatMap (p: p.pythonDeps or []) packages);
      in
        prev.runCommand "python${python}-env" {} ''
          mkdir -p $out/bin $out/lib/python${python}/site-packages
          ln -s /usr/bin/python3 $out/bin/python3
          printf 'home = /usr/bin\ninclude-system-site-packages = false\nversion = ${python}\n' > $out/pyvenv.cfg
          printf '%s\n' ${prev.lib.escapeShellArgs sites} > $out/lib/python${python}/site-packages/packages.pth
        '';
    };
  python3Packages.buildPythonPackage = {
    pname,
    version,
    src,
    dependencies ? [],
    makeWrapperArgs ? [],
    meta ? {},
    ...
  }:
    prev.stdenvNoCC.mkDerivation {
      pname = "python${python}-${pname}";
      inherit version src meta;
      nativeBuildInputs = [final.unzip prev.makeWrapper];
      dontUnpack = true;
      dontFixup = true;
      passthru.pythonDeps = dependencies;
      installPhase = ''
        site=$out/lib/python${python}/site-packages
        mkdir -p $site $out/bin
        unzip -q $src -d $site
        # one wrapper per console script of the wheel
        for script in $(/usr/bin/python3 ${./console-scripts.py} $site $out/libexec); do
          makeWrapper /usr/bin/python3 $out/bin/$script --add-flags $out/libexec/run-$script.py \
            --prefix PYTHONPATH : "$site${prev.lib.concatMapStrings (d: ":${d}/lib/python${python}/site-packages") dependencies}" \
            ${prev.lib.escapeShellArgs makeWrapperArgs}
        done
      '';
    };
}
