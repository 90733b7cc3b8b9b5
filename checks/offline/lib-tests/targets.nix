# lib tests: the target table, floors, policies and output names.
{
  ww,
  cdylib,
  ...
}: {
  targetsAreTheSupportedSet = {
    expr = builtins.attrNames ww.targets;
    expected = [
      "aarch64-unknown-linux-gnu"
      "aarch64-unknown-linux-musl"
      "armv7-unknown-linux-gnueabihf"
      "armv7-unknown-linux-musleabihf"
      "i686-unknown-linux-gnu"
      "i686-unknown-linux-musl"
      "powerpc64le-unknown-linux-gnu"
      "riscv64gc-unknown-linux-gnu"
      "riscv64gc-unknown-linux-musl"
      "s390x-unknown-linux-gnu"
      "x86_64-unknown-linux-gnu"
      "x86_64-unknown-linux-musl"
    ];
  };
  wheelArchitectures = {
    expr = builtins.mapAttrs (_: t: t.arch) ww.targets;
    expected = {
      "aarch64-unknown-linux-gnu" = "aarch64";
      "aarch64-unknown-linux-musl" = "aarch64";
      "armv7-unknown-linux-gnueabihf" = "armv7l";
      "armv7-unknown-linux-musleabihf" = "armv7l";
      "i686-unknown-linux-gnu" = "i686";
      "i686-unknown-linux-musl" = "i686";
      "powerpc64le-unknown-linux-gnu" = "ppc64le";
      "riscv64gc-unknown-linux-gnu" = "riscv64";
      "riscv64gc-unknown-linux-musl" = "riscv64";
      "s390x-unknown-linux-gnu" = "s390x";
      "x86_64-unknown-linux-gnu" = "x86_64";
      "x86_64-unknown-linux-musl" = "x86_64";
    };
  };
  # A musl library links libc dynamically and needs the soname musl systems
  # give it; glibc builds and musl wheels (maturin's own flag) get no RUSTFLAGS.
  muslLinking = {
    expr =
      map (args: let
        env = (ww.planBuild ({src = cdylib;} // args)).env;
      in {
        soname = env.WW_LIBC_SONAME;
        rustflags = env.RUSTFLAGS or null;
      }) [
        {
          kind = "cdylib";
          target = "aarch64-unknown-linux-musl";
        }
        {
          kind = "wheel";
          target = "x86_64-unknown-linux-musl";
        }
        {
          kind = "cdylib";
          target = "i686-unknown-linux-musl";
        }
        {
          kind = "cdylib";
          target = "x86_64-unknown-linux-gnu";
        }
      ];
    expected = [
      {
        soname = "libc.musl-aarch64.so.1";
        rustflags = "-C target-feature=-crt-static";
      }
      {
        soname = "libc.musl-x86_64.so.1";
        rustflags = null;
      }
      {
        # Alpine's name for i686 is x86
        soname = "libc.musl-x86.so.1";
        rustflags = "-C target-feature=-crt-static";
      }
      {
        soname = "libc.so.6";
        rustflags = null;
      }
    ];
  };
  floors = {
    expr = builtins.mapAttrs (_: t: t.floor) ww.targets;
    expected = {
      "aarch64-unknown-linux-gnu" = "manylinux_2_17";
      "aarch64-unknown-linux-musl" = "musllinux_1_2";
      "armv7-unknown-linux-gnueabihf" = "manylinux_2_17";
      "armv7-unknown-linux-musleabihf" = "musllinux_1_2";
      "i686-unknown-linux-gnu" = "manylinux_2_17";
      "i686-unknown-linux-musl" = "musllinux_1_2";
      "powerpc64le-unknown-linux-gnu" = "manylinux_2_34";
      "riscv64gc-unknown-linux-gnu" = "manylinux_2_31";
      "riscv64gc-unknown-linux-musl" = "musllinux_1_2";
      "s390x-unknown-linux-gnu" = "manylinux_2_17";
      "x86_64-unknown-linux-gnu" = "manylinux_2_17";
      "x86_64-unknown-linux-musl" = "musllinux_1_2";
    };
  };
  qemuNames = {
    expr = map (t: ww.targets.${t}.qemu) ["armv7-unknown-linux-gnueabihf" "i686-unknown-linux-gnu" "powerpc64le-unknown-linux-gnu"];
    expected = ["arm" "i386" "ppc64le"];
  };
  policyDefaultsToFloor = {
    expr = (ww.resolvePolicy (ww.resolveTarget "powerpc64le-unknown-linux-gnu") null).platformTag;
    expected = "manylinux_2_34_ppc64le";
  };
  legacyAliasNormalised = {
    expr = ww.resolvePolicy (ww.resolveTarget "aarch64-unknown-linux-gnu") "manylinux2014";
    expected = {
      name = "manylinux_2_17";
      family = "manylinux";
      version = "2.17";
      platformTag = "manylinux_2_17_aarch64";
    };
  };
  newerPolicyAccepted = {
    expr = (ww.resolvePolicy (ww.resolveTarget "x86_64-unknown-linux-gnu") "manylinux_2_28").platformTag;
    expected = "manylinux_2_28_x86_64";
  };
  muslPolicy = {
    expr = (ww.resolvePolicy (ww.resolveTarget "x86_64-unknown-linux-musl") null).platformTag;
    expected = "musllinux_1_2_x86_64";
  };
  outputNames = {
    expr = ww.outputNames {
      targets = ["armv7-unknown-linux-gnueabihf" "aarch64-unknown-linux-musl"];
      kinds = ["wheel" "cdylib"];
    };
    expected = {
      "cdylib-aarch64-musl" = {
        kind = "cdylib";
        triple = "aarch64-unknown-linux-musl";
      };
      "cdylib-armv7" = {
        kind = "cdylib";
        triple = "armv7-unknown-linux-gnueabihf";
      };
      "wheel-aarch64-musl" = {
        kind = "wheel";
        triple = "aarch64-unknown-linux-musl";
      };
      "wheel-armv7" = {
        kind = "wheel";
        triple = "armv7-unknown-linux-gnueabihf";
      };
    };
  };
}
