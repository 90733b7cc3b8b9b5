# lib tests: planBuild's builder environment, arguments and output names.
{
  ww,
  pyo3,
  cdylib,
  layout,
  plan,
  args,
  floorOf,
  ...
}: {
  wheelBuilderEnv = {
    expr =
      (plan {
        kind = "wheel";
        target = "aarch64-unknown-linux-gnu";
      })
      .env;
    expected = {
      WW_KIND = "wheel";
      WW_TARGET = "aarch64-unknown-linux-gnu";
      WW_ZIG_TARGET = "aarch64-unknown-linux-gnu.2.17";
      WW_ARCH = "aarch64";
      WW_LIBC = "glibc";
      WW_LIBC_SONAME = "libc.so.6";
      WW_POLICY = "manylinux_2_17";
      WW_PLATFORM_TAG = "manylinux_2_17_aarch64";
      WW_MANIFEST = "Cargo.toml";
      WW_LOCK_FILE = "Cargo.lock";
      WW_LIB_NAME = "ww_example";
      WW_CRATE_NAME = "wheelwright-example-pyo3";
      WW_DIST_NAME = "wheelwright_example";
      WW_HEADER = "";
      WW_BUILD_ARGS = "build\n--zig\n--strip\n--target\naarch64-unknown-linux-gnu\n--compatibility\nmanylinux_2_17\n--release\n--locked\n--offline";
      WW_REPAIR_ARGS = "repair\n--plat\nauto\n--only-plat";
      WW_TARGET_LIBRARY_LINKS = "bz2 bzip2\nffi libffi\nsqlite3 sqlite\nodbc unixodbc\nz zlib\nzstd zstd";
      SOURCE_DATE_EPOCH = "315532800";
      CARGO_BUILD_INCREMENTAL = "false";
      CARGO_NET_OFFLINE = "true";
      WW_WRITABLE_VENDOR = "";
      WW_STRIP_BUNDLED = "1";
    };
  };
  writableVendoredSourcesReachTheBuilder = {
    expr =
      (plan {
        kind = "cdylib";
        target = "riscv64gc-unknown-linux-musl";
        writableVendoredSources = true;
      })
      .env
      .WW_WRITABLE_VENDOR;
    expected = "1";
  };
  wheelArgsWithOptions = {
    expr =
      args
      (plan {
        kind = "wheel";
        target = "powerpc64le-unknown-linux-gnu";
        features = ["fast" "simd"];
        noDefaultFeatures = true;
        pythonVersions = ["3.12" "3.14t"];
        maturinExtraArgs = ["--sbom-include" "x y"];
      })
      .env
      .WW_BUILD_ARGS;
    expected = [
      "build"
      "--zig"
      "--strip"
      "--target"
      "powerpc64le-unknown-linux-gnu"
      "--compatibility"
      "manylinux_2_34"
      "--release"
      "--locked"
      "--offline"
      "--features"
      "fast,simd"
      "--no-default-features"
      "--interpreter"
      "python3.12"
      "--interpreter"
      "python3.14t"
      "--sbom-include"
      "x y"
    ];
  };
  cdylibArgsCarryGlibcFloor = {
    expr =
      args
      (ww.planBuild {
        kind = "cdylib";
        src = cdylib;
        target = "armv7-unknown-linux-gnueabihf";
      })
      .env
      .WW_BUILD_ARGS;
    expected = ["zigbuild" "--lib" "--target" "armv7-unknown-linux-gnueabihf.2.17" "--release" "--locked" "--offline" "--manifest-path" "Cargo.toml"];
  };
  cdylibHeaderFromCbindgenConfig = {
    expr =
      (ww.planBuild {
        kind = "cdylib";
        src = cdylib;
        target = "s390x-unknown-linux-gnu";
      })
      .env
      .WW_HEADER;
    expected = "1";
  };
  muslCdylibHasNoGlibcSuffix = {
    expr = builtins.elemAt (args
      (ww.planBuild {
        kind = "cdylib";
        src = cdylib;
        target = "x86_64-unknown-linux-musl";
      })
      .env
      .WW_BUILD_ARGS)
    3;
    expected = "x86_64-unknown-linux-musl";
  };
  planOutputName = {
    expr =
      (plan {
        kind = "wheel";
        target = "x86_64-unknown-linux-musl";
      })
      .outputName;
    expected = "wheel-x86_64-musl";
  };
  # The zig cache's builder run links dynamically on every target, and is
  # named by the zig target, which holds the glibc floor.
  zigCachePlans = {
    expr = map (t: let
      p = plan {
        kind = "wheel";
        target = t;
      };
    in
      p.zigCache)
    ["aarch64-unknown-linux-gnu" "x86_64-unknown-linux-musl"];
    expected = [
      {
        name = "wheelwright-zig-cache-aarch64-unknown-linux-gnu.2.17";
        env = {
          WW_KIND = "zig-cache";
          WW_TARGET = "aarch64-unknown-linux-gnu";
          WW_ZIG_TARGET = "aarch64-unknown-linux-gnu.2.17";
          RUSTFLAGS = "-C target-feature=-crt-static";
        };
      }
      {
        name = "wheelwright-zig-cache-x86_64-unknown-linux-musl";
        env = {
          WW_KIND = "zig-cache";
          WW_TARGET = "x86_64-unknown-linux-musl";
          WW_ZIG_TARGET = "x86_64-unknown-linux-musl";
          RUSTFLAGS = "-C target-feature=-crt-static";
        };
      }
    ];
  };
  everyTargetPlans = {
    expr = map (t:
      (plan {
        kind = "wheel";
        target = t;
      })
      .env
      .WW_PLATFORM_TAG) (builtins.attrNames ww.targets);
    expected = map (t: "${floorOf t}_${ww.targets.${t}.arch}") (builtins.attrNames ww.targets);
  };
  # An sdist has no target: maturin sdist, with --manifest-path only when the
  # root pyproject.toml does not name the crate.
  sdistBuilderEnv = {
    expr = map (src:
      (ww.planBuild {
        kind = "sdist";
        inherit src;
      })
      .env) [pyo3 layout];
    expected = [
      {
        WW_KIND = "sdist";
        WW_MANIFEST = "Cargo.toml";
        WW_DIST_NAME = "wheelwright_example";
        WW_CRATE_NAME = "wheelwright-example-pyo3";
        WW_BUILD_ARGS = "sdist";
        SOURCE_DATE_EPOCH = "315532800";
        CARGO_NET_OFFLINE = "true";
      }
      {
        WW_KIND = "sdist";
        WW_MANIFEST = "rust/py/Cargo.toml";
        WW_DIST_NAME = "ww_layout";
        WW_CRATE_NAME = "layout-py";
        WW_BUILD_ARGS = "sdist";
        SOURCE_DATE_EPOCH = "315532800";
        CARGO_NET_OFFLINE = "true";
      }
    ];
  };
  sdistOutputName = {
    expr =
      (plan {
        kind = "sdist";
      })
      .outputName;
    expected = "sdist";
  };
}
