# lib tests: the tools, the Python and the C libraries a build gets from its
# lock, its pyproject and its options
# (lib/data/buildTools.json, lib/data/targetLibraries.json).
{
  pyo3,
  plan,
  args,
  ...
}: let
  libraryFacts = p:
    map (l: {
      inherit (l) name drvName prefixVariables buildTools;
      configure = args l.env.WW_LIBRARY_CONFIGURE;
      inherit (l.env) WW_LIBRARY_ZIG_TARGET WW_LIBRARY_ZIG_CPU;
    })
    p.targetLibraries;
  opensslEnv = p: {inherit (p.env) OPENSSL_STATIC OPENSSL_NO_VENDOR;};
  opensslConfigure = ["--prefix=/usr/local" "--openssldir=/usr/local/ssl" "--libdir=lib" "no-shared" "no-module" "no-tests" "no-docs" "no-apps" "no-comp" "no-zlib" "no-ssl3" "no-weak-ssl-ciphers" "-fPIC" "-g0"];
in {
  # the tools a lock's build scripts run beyond stdenv: the cmake crate runs
  # cmake; a lock without such crates needs none
  buildToolsFromLock = {
    expr = [
      (plan {
        kind = "cdylib";
        src = ../fixtures/cmake-build-script;
        target = "s390x-unknown-linux-gnu";
      })
      .buildTools
      (plan {
        kind = "wheel";
        src = ../fixtures/uniffi-lib;
        target = "s390x-unknown-linux-gnu";
      })
      .buildTools
    ];
    expected = [["cmake"] []];
  };
  # openssl-sys's `vendored` (openssl-src in the lock) gets the openssl
  # target library, and OPENSSL_NO_VENDOR keeps its build script from
  # compiling another; zig compiles it for the wheel's glibc, with the CPU
  # cargo-zigbuild gives cc-rs for armv7
  opensslFromLock = {
    expr = let
      p = plan {
        kind = "wheel";
        src = ../fixtures/openssl-vendored;
        target = "armv7-unknown-linux-gnueabihf";
        policy = "manylinux_2_28";
      };
    in {
      libraries = libraryFacts p;
      env = opensslEnv p;
      # Configure's perl is the library's, not the crate build's
      inherit (p) buildTools;
    };
    expected = {
      libraries = [
        {
          name = "openssl";
          drvName = "wheelwright-openssl-3.5.5-arm-linux-gnueabihf.2.28";
          prefixVariables = ["OPENSSL_DIR"];
          buildTools = ["perl"];
          configure = opensslConfigure ++ ["linux-armv4"];
          WW_LIBRARY_ZIG_TARGET = "arm-linux-gnueabihf.2.28";
          WW_LIBRARY_ZIG_CPU = "generic+v7a+vfp3-d32+thumb2-neon";
        }
      ];
      env = {
        OPENSSL_STATIC = "1";
        OPENSSL_NO_VENDOR = "1";
      };
      buildTools = [];
    };
  };
  # asked for by name, on musl: openssl-src's musl settings, no glibc version
  opensslAsked = {
    expr = let
      p = plan {
        kind = "cdylib";
        src = ../../../examples/cdylib;
        target = "x86_64-unknown-linux-musl";
        targetLibraries = ["openssl"];
      };
    in {
      libraries = libraryFacts p;
      env = opensslEnv p;
    };
    expected = {
      libraries = [
        {
          name = "openssl";
          drvName = "wheelwright-openssl-3.5.5-x86_64-linux-musl";
          prefixVariables = ["OPENSSL_DIR"];
          buildTools = ["perl"];
          configure = opensslConfigure ++ ["no-engine" "no-async" "linux-x86_64"];
          WW_LIBRARY_ZIG_TARGET = "x86_64-linux-musl";
          WW_LIBRARY_ZIG_CPU = "";
        }
      ];
      env = {
        OPENSSL_STATIC = "1";
        OPENSSL_NO_VENDOR = "1";
      };
    };
  };
  noTargetLibraries = {
    expr = let
      p = plan {
        kind = "wheel";
        target = "aarch64-unknown-linux-gnu";
      };
    in [p.targetLibraries (p.env ? OPENSSL_DIR) (p.env ? OPENSSL_STATIC)];
    expected = [[] false false];
  };
  # a build script that runs Python with cffi (cryptography's, which its
  # [build-system] requires names) gets the pinned cffi, as a cffi module does
  cffiPythonPlanned = {
    expr = map (src:
      (plan {
        kind = "wheel";
        inherit src;
        target = "aarch64-unknown-linux-gnu";
      })
      .cffiPython) [pyo3 ../fixtures/cffi-lib];
    expected = [false true];
  };
}
