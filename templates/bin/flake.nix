{
  description = "A command-line program in Rust, shipped on PyPI as portable wheels by wheelwright";

  inputs.wheelwright.url = "github:wheelwright/wheelwright";

  outputs = {
    self,
    wheelwright,
  }: {
    # wheel-x86_64, wheel-aarch64, wheel-armv7, wheel-i686, wheel-ppc64le, wheel-s390x,
    # wheel-riscv64 (each a py3-none wheel holding the program); sdist; dist (every
    # wheel and the sdist); publish (`nix run .#publish`)
    packages = wheelwright.lib.forEachBuildSystem (pkgs: (wheelwright.lib.mkLib pkgs).targetPackages {src = ./.;});
    checks = self.packages;
    # `nix develop`: cargo (`cargo run`, `cargo generate-lockfile` after renaming
    # the crate) and the maturin that wheelwright builds with
    devShells = wheelwright.lib.forEachBuildSystem (pkgs: {
      default = pkgs.mkShell {
        packages = [pkgs.cargo pkgs.rustc pkgs.clippy pkgs.rustfmt (wheelwright.lib.mkLib pkgs).tools.maturin];
      };
    });
  };
}
