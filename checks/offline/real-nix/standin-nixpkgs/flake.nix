{
  # Stands in for nixpkgs in the nix-build stage (nixbuild.py): the same nixpkgs
  # tree, imported with its native stdenv (the trixie root's gcc, bash and
  # coreutils) instead of the source bootstrap, whose tarballs these machines
  # cannot download. overlay.nix maps the leaf packages that would still be
  # built from downloaded sources to the root's binaries. The stage writes the
  # tree's store path over @NIXPKGS_TREE@.
  inputs.tree = {
    url = "path:@NIXPKGS_TREE@";
    flake = false;
  };

  outputs = {tree, ...}: let
    lib = import "${tree}/lib";
    pkgsFor = system:
      import tree {
        localSystem = {inherit system;};
        # pkgs/stdenv/native takes no crossOverlays
        stdenvStages = args: import "${tree}/pkgs/stdenv/native" (builtins.removeAttrs args ["crossOverlays"]);
        overlays = [(import ./overlay.nix)];
      };
  in {
    inherit lib;
    legacyPackages = lib.genAttrs ["x86_64-linux" "aarch64-linux"] pkgsFor;
  };
}
