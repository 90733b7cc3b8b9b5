{
  # Configurations that the flake's own outputs do not hold, evaluated by the
  # real-nix stage: every musl target, and the builds, bad configurations and
  # configurations that evaluate with a warning of ./configs.json (a
  # per-interpreter crate's wheels, a project whose pyproject.toml names a
  # crate in a subdirectory, extra build tools with writable vendored
  # sources, the fixtures' modules and programs), which the stage's checks
  # read too. The stage
  # copies the projects configs.json names next to this file and points
  # `wheelwright` at the checkout.
  inputs.wheelwright.url = "github:wheelwright/wheelwright";

  outputs = {wheelwright, ...}: let
    inherit (wheelwright.lib) targets;
    configs = builtins.fromJSON (builtins.readFile ./configs.json);
    musl = builtins.filter (t: targets.${t}.libc == "musl") (builtins.attrNames targets);
    # a JSON value with each { package = NAME; } replaced by pkgs.NAME
    withPackages = pkgs: value:
      if builtins.isList value
      then map (withPackages pkgs) value
      else if builtins.isAttrs value && value ? package
      then pkgs.${value.package}
      else if builtins.isAttrs value
      then builtins.mapAttrs (_: withPackages pkgs) value
      else value;
    build = pkgs: config: let
      ww = wheelwright.lib.mkLib pkgs;
      builder =
        if config.kind == "wheel"
        then ww.buildWheel
        else ww.buildCdylib;
    in
      builder ({
          src = ./. + "/${config.project}";
          inherit (config) target;
        }
        // config.options
        // withPackages pkgs (config.packageOptions or {}));
  in {
    packages = wheelwright.lib.forEachBuildSystem (pkgs: let
      ww = wheelwright.lib.mkLib pkgs;
    in
      ww.targetPackages {
        src = ./. + "/${configs.musl.wheel}";
        targets = musl;
      }
      // ww.targetPackages {
        src = ./. + "/${configs.musl.cdylib}";
        targets = musl;
        wheel = false;
        cdylib = true;
      }
      // builtins.mapAttrs (_: build pkgs) configs.packages);
    # Configurations that only nixpkgs-level code can reject: the stage
    # evaluates each and expects its message.
    badConfigs =
      wheelwright.lib.forEachBuildSystem (pkgs:
        builtins.mapAttrs (_: c: build pkgs (builtins.removeAttrs c ["message"])) configs.badConfigs);
    # Configurations that evaluate with a warning: the stage expects it.
    warnedConfigs =
      wheelwright.lib.forEachBuildSystem (pkgs:
        builtins.mapAttrs (_: c: build pkgs (builtins.removeAttrs c ["warning"])) configs.warnedConfigs);
  };
}
