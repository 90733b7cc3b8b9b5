{
  # Stands in for rust-overlay in the nix-build stage (nixbuild.py), whose
  # toolchains are downloads from static.rust-lang.org: `lib.mkRustBin` with
  # rust-overlay's shape (`stable.<version>.minimal.override { targets;
  # extensions; }`), every version the proving ground's Debian rustc, whose
  # sysroot has std for every target (setup.sh builds the musl ones). The
  # stage writes that toolchain's root over @RUST_ROOT@ and mounts it there.
  outputs = _: {
    lib.mkRustBin = _: pkgs: let
      root = "@RUST_ROOT@/usr";
      version = "@RUST_VERSION@";
      # targets: std is in the sysroot already; extensions: clippy and rustfmt
      # are always there.
      toolchain = pkgs.lib.makeOverridable ({...}:
        pkgs.runCommand "rust-minimal-${version}" {
          inherit version;
          pname = "rust-minimal";
        } ''
          mkdir -p $out/bin $out/lib
          ln -s ${root}/lib/rustlib $out/lib/rustlib
          for b in cargo cargo-clippy clippy-driver rustfmt cargo-fmt; do
            ln -s ${root}/bin/$b $out/bin/$b
          done
          # crane's removeReferencesToRustToolchain needs `rustc --print sysroot`
          # to be a store path
          for b in rustc rustdoc; do
            printf '#!/bin/bash\nexec %s --sysroot=%s "$@"\n' ${root}/bin/$b $out >$out/bin/$b
            chmod +x $out/bin/$b
          done
        '') {};
      toolchains = {
        minimal = toolchain;
        default = toolchain;
      };
    in {
      stable = {
        ${version} = toolchains;
        latest = toolchains;
      };
    };
  };
}
