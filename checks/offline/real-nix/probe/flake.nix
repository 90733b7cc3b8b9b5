{
  # Configurations that the flake's own outputs do not hold, evaluated by the
  # real-nix stage: every musl target, a per-interpreter crate's wheels, a
  # project whose pyproject.toml names a crate in a subdirectory, and extra
  # build tools with writable vendored sources. The stage
  # copies the examples and checks/offline/fixtures' pyproject-layout and
  # per-interpreter next to this file and points `wheelwright` at the
  # checkout.
  inputs.wheelwright.url = "github:wheelwright/wheelwright";

  outputs = {wheelwright, ...}: let
    inherit (wheelwright.lib) targets;
    musl = builtins.filter (t: targets.${t}.libc == "musl") (builtins.attrNames targets);
  in {
    packages = wheelwright.lib.forEachBuildSystem (pkgs: let
      ww = wheelwright.lib.mkLib pkgs;
    in
      ww.targetPackages {
        src = ./pyo3-abi3;
        targets = musl;
      }
      // ww.targetPackages {
        src = ./cdylib;
        targets = musl;
        wheel = false;
        cdylib = true;
      }
      // {
        wheel-x86_64-pythons = ww.buildWheel {
          src = ./per-interpreter;
          target = "x86_64-unknown-linux-gnu";
          pythonVersions = ["3.12" "3.13" "3.14t"];
        };
        wheel-aarch64-layout = ww.buildWheel {
          src = ./pyproject-layout;
          target = "aarch64-unknown-linux-gnu";
        };
        wheel-x86_64-tools = ww.buildWheel {
          src = ./pyo3-abi3;
          target = "x86_64-unknown-linux-gnu";
          nativeBuildInputs = [pkgs.nasm];
          writableVendoredSources = true;
        };
      });
    # Configurations that only nixpkgs-level code can reject: the stage
    # evaluates each and expects its message.
    badConfigs = wheelwright.lib.forEachBuildSystem (pkgs: {
      nativeBuildInputs = (wheelwright.lib.mkLib pkgs).buildWheel {
        src = ./pyo3-abi3;
        target = "x86_64-unknown-linux-gnu";
        nativeBuildInputs = pkgs.nasm;
      };
      unknownTool = (wheelwright.lib.mkLib pkgs).buildWheel {
        src = ./pyo3-abi3;
        target = "x86_64-unknown-linux-gnu";
        tools.verifier = pkgs.hello;
      };
    });
  };
}
