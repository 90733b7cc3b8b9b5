{
  description = "A C-ABI shared library in Rust, built for every Linux target by wheelwright";

  inputs.wheelwright.url = "github:wheelwright/wheelwright";

  outputs = {
    self,
    wheelwright,
  }: {
    # cdylib-x86_64, cdylib-aarch64, cdylib-armv7, cdylib-i686, cdylib-ppc64le, cdylib-s390x,
    # cdylib-riscv64
    packages = wheelwright.lib.forEachBuildSystem (pkgs:
      (wheelwright.lib.mkLib pkgs).targetPackages {
        src = ./.;
        wheel = false;
        cdylib = true;
      });
    checks = self.packages;
    # `nix develop`: cargo (`cargo generate-lockfile` after renaming the crate, `cargo test`)
    # and the cbindgen that wheelwright builds the header with
    devShells = wheelwright.lib.forEachBuildSystem (pkgs: {
      default = pkgs.mkShell {
        packages = [pkgs.cargo pkgs.rustc pkgs.clippy pkgs.rustfmt (wheelwright.lib.mkLib pkgs).tools.cbindgen];
      };
    });
  };
}
