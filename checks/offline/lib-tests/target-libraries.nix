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
      inherit (l) name drvName directoryVariables buildTools;
      configure =
        if l.env.WW_LIBRARY_CONFIGURE == ""
        then []
        else args l.env.WW_LIBRARY_CONFIGURE;
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
          directoryVariables = {OPENSSL_DIR = "";};
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
          directoryVariables = {OPENSSL_DIR = "";};
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
  # the target's CPython headers, for a build script that compiles C against
  # Python.h (cryptography-cffi): Debian's package for the target's
  # architecture, found through PYO3_CROSS_LIB_DIR, as cryptography's build
  # script and maturin's cross build read it
  pythonAsked = {
    expr = let
      p = plan {
        kind = "wheel";
        target = "powerpc64le-unknown-linux-gnu";
        targetLibraries = ["python"];
      };
      python = builtins.head p.targetLibraries;
    in {
      libraries = libraryFacts p;
      inherit (python) source;
      inherit (python.env) WW_LIBRARY_RECIPE WW_LIBRARY_SOURCE_DIR;
    };
    expected = {
      libraries = [
        {
          name = "python";
          drvName = "wheelwright-python-3.13.5-powerpc64le-linux-gnu.2.34";
          directoryVariables = {PYO3_CROSS_LIB_DIR = "lib/python3.13";};
          buildTools = [];
          configure = [];
          WW_LIBRARY_ZIG_TARGET = "powerpc64le-linux-gnu.2.34";
          WW_LIBRARY_ZIG_CPU = "";
        }
      ];
      source = {
        url = "https://deb.debian.org/debian/pool/main/p/python3.13/libpython3.13-dev_3.13.5-2%2Bdeb13u5_ppc64el.deb";
        sha256 = "0de2fb624f57375e56d10879fad96fa2ba42d96b7143bc399988ebfcd447fd7f";
        name = "libpython3.13-dev_3.13.5-2+deb13u5_ppc64el.deb";
        dir = "usr";
      };
      WW_LIBRARY_RECIPE = "cpython";
      WW_LIBRARY_SOURCE_DIR = "usr";
    };
  };
  # an abi3 and abi3t crate with the python library (cryptography's case)
  # and no pythonVersions: its abi3 wheel alone, in one maturin run, and a
  # warning naming the free-threaded wheels it leaves out; the build is the
  # one pythonVersions = [ ] asks for (the same environment), without it
  pythonHeadersNarrowDefault = {
    expr = let
      planOf = extra:
        plan ({
            kind = "wheel";
            src = ../fixtures/abi3-and-abi3t;
            target = "aarch64-unknown-linux-gnu";
            targetLibraries = ["python"];
          }
          // extra);
      narrowed = planOf {};
      asked = planOf {pythonVersions = [];};
      # an abi3 crate alone, whose default is its abi3 wheel: nothing to narrow
      abi3Only = planOf {src = ../fixtures/python-headers;};
    in {
      pythonVersions = [narrowed.pythonVersions abi3Only.pythonVersions];
      warnings = [narrowed.warnings asked.warnings abi3Only.warnings];
      runs = builtins.length (builtins.filter (a: a == "build") (args narrowed.env.WW_BUILD_ARGS));
      sameBuild = narrowed.env == asked.env;
    };
    expected = {
      pythonVersions = [[] null];
      warnings = [
        ["crate 'ww-abi3-abi3t' compiles C against the target's CPython headers (the target library python: CPython 3.13, not free-threaded), which serve its abi3 wheel alone, so it builds no wheel for 3.14t, 3.15t; set pythonVersions = [ ] to say so"]
        []
        []
      ];
      runs = 1;
      sameBuild = true;
    };
  };
  # SQLite for rusqlite's default libsqlite3-sys, which links the system's:
  # compiled with the options libsqlite3-sys's `bundled` build gives, and
  # found through SQLITE3_LIB_DIR and SQLITE3_INCLUDE_DIR
  sqliteAsked = {
    expr = let
      p = plan {
        kind = "wheel";
        target = "riscv64gc-unknown-linux-gnu";
        targetLibraries = ["sqlite"];
      };
    in {
      libraries = map (l: removeAttrs l ["configure"]) (libraryFacts p);
      options = builtins.length (builtins.head (libraryFacts p)).configure;
      inherit (p.env) SQLITE3_STATIC;
    };
    expected = {
      libraries = [
        {
          name = "sqlite";
          drvName = "wheelwright-sqlite-3.54.1-riscv64-linux-gnu.2.31";
          directoryVariables = {
            SQLITE3_LIB_DIR = "lib";
            SQLITE3_INCLUDE_DIR = "include";
          };
          buildTools = [];
          WW_LIBRARY_ZIG_TARGET = "riscv64-linux-gnu.2.31";
          WW_LIBRARY_ZIG_CPU = "generic_rv64+m+a+f+d+c";
        }
      ];
      options = 19;
      SQLITE3_STATIC = "1";
    };
  };
  # zlib, zstd, bzip2 and libffi as a system would have them: each with a
  # .pc file, so the build gets pkg-config, allowed to cross and to link
  # statically, searching no directory of its own, and the variables that turn libz-sys's `static` feature and
  # zstd-sys's own build off; libffi by its configure for the target
  systemStyleAsked = {
    expr = let
      p = plan {
        kind = "wheel";
        target = "i686-unknown-linux-gnu";
        targetLibraries = ["zlib" "zstd" "bzip2" "libffi"];
      };
    in {
      libraries =
        map (l: {
          inherit (l) name drvName pkgConfig;
          inherit (l.env) WW_LIBRARY_RECIPE WW_LIBRARY_ARCHIVE;
          sources = builtins.length (builtins.filter (s: s != "") (args l.env.WW_LIBRARY_SOURCES));
        })
        p.targetLibraries;
      libffiConfigure = args (builtins.elemAt p.targetLibraries 1).env.WW_LIBRARY_CONFIGURE;
      inherit (p) buildTools;
      env = {inherit (p.env) PKG_CONFIG_ALLOW_CROSS PKG_CONFIG_ALL_STATIC PKG_CONFIG_LIBDIR LIBZ_SYS_STATIC ZSTD_SYS_USE_PKG_CONFIG;};
    };
    expected = {
      libraries = [
        {
          name = "bzip2";
          drvName = "wheelwright-bzip2-1.0.8-x86-linux-gnu.2.17";
          pkgConfig = "bzip2";
          WW_LIBRARY_RECIPE = "cc";
          WW_LIBRARY_ARCHIVE = "bz2";
          sources = 7;
        }
        {
          name = "libffi";
          drvName = "wheelwright-libffi-3.6.0-x86-linux-gnu.2.17";
          pkgConfig = "libffi";
          WW_LIBRARY_RECIPE = "autotools";
          WW_LIBRARY_ARCHIVE = "ffi";
          sources = 0;
        }
        {
          name = "zlib";
          drvName = "wheelwright-zlib-1.4-x86-linux-gnu.2.17";
          pkgConfig = "zlib";
          WW_LIBRARY_RECIPE = "cc";
          WW_LIBRARY_ARCHIVE = "z";
          sources = 15;
        }
        {
          name = "zstd";
          drvName = "wheelwright-zstd-1.5.7-x86-linux-gnu.2.17";
          pkgConfig = "libzstd";
          WW_LIBRARY_RECIPE = "cc";
          WW_LIBRARY_ARCHIVE = "zstd";
          sources = 6;
        }
      ];
      libffiConfigure = ["--prefix=/usr/local" "--with-pic" "--disable-shared" "--disable-docs" "--disable-multi-os-directory"];
      buildTools = ["pkg-config"];
      env = {
        PKG_CONFIG_ALLOW_CROSS = "1";
        PKG_CONFIG_ALL_STATIC = "1";
        PKG_CONFIG_LIBDIR = "";
        LIBZ_SYS_STATIC = "0";
        ZSTD_SYS_USE_PKG_CONFIG = "1";
      };
    };
  };
  # unixODBC as a shared object (odbc-sys links -lodbc dynamically): the cc
  # recipe links libodbc.so.2 with the system libraries it needs, and no
  # archive, .pc file or variable of the build's
  sharedAsked = {
    expr = let
      p = plan {
        kind = "wheel";
        target = "armv7-unknown-linux-gnueabihf";
        targetLibraries = ["unixodbc"];
      };
      l = builtins.head p.targetLibraries;
    in {
      inherit (l) name drvName pkgConfig;
      inherit (l.env) WW_LIBRARY_RECIPE WW_LIBRARY_ARCHIVE WW_LIBRARY_SONAME WW_LIBRARY_SOURCE_DIR;
      systemLibraries = args l.env.WW_LIBRARY_SHARED_LIBRARIES;
      sources = args l.env.WW_LIBRARY_SOURCES;
      inherit (p) buildTools;
      pkgConfigEnv = p.env ? PKG_CONFIG_ALLOW_CROSS;
    };
    expected = {
      name = "unixodbc";
      drvName = "wheelwright-unixodbc-2.3.14-arm-linux-gnueabihf.2.17";
      pkgConfig = null;
      WW_LIBRARY_RECIPE = "cc";
      WW_LIBRARY_ARCHIVE = "";
      WW_LIBRARY_SONAME = "libodbc.so.2";
      WW_LIBRARY_SOURCE_DIR = "unix-odbc-0.1.4";
      systemLibraries = ["dl" "pthread"];
      sources = ["unixODBC/DriverManager/*.c" "unixODBC/odbcinst/*.c" "unixODBC/ini/*.c" "unixODBC/log/*.c" "unixODBC/lst/*.c"];
      buildTools = [];
      pkgConfigEnv = false;
    };
  };
  # no library, no pkg-config: the build's environment is as before
  noTargetLibraries = {
    expr = let
      p = plan {
        kind = "wheel";
        target = "aarch64-unknown-linux-gnu";
      };
    in [p.targetLibraries p.buildTools (p.env ? OPENSSL_DIR) (p.env ? OPENSSL_STATIC) (p.env ? PKG_CONFIG_ALLOW_CROSS)];
    expected = [[] [] false false false];
  };
  # a build-requirements.lock beside pyproject.toml gives the build's python3
  # its wheels, by build system and CPython: a compiled one (markupsafe) per
  # key, a pure one (six) the same file everywhere; without one, none
  buildRequirementsFromLock = {
    expr = let
      locked =
        (plan {
          kind = "wheel";
          src = ../fixtures/build-requirements;
          target = "riscv64gc-unknown-linux-gnu";
        })
        .buildRequirements;
      files = key: map (w: "${w.name} ${w.version} ${baseNameOf w.url}") locked.${key};
    in {
      keys = builtins.attrNames locked;
      x86_64 = files "x86_64-linux/cp313";
      aarch64 = files "aarch64-linux/cp313";
      unlocked =
        (plan {
          kind = "wheel";
          src = pyo3;
          target = "aarch64-unknown-linux-gnu";
        })
        .buildRequirements;
    };
    expected = {
      keys = ["aarch64-linux/cp311" "aarch64-linux/cp312" "aarch64-linux/cp313" "aarch64-linux/cp314" "x86_64-linux/cp311" "x86_64-linux/cp312" "x86_64-linux/cp313" "x86_64-linux/cp314"];
      x86_64 = [
        "markupsafe 3.0.3 markupsafe-3.0.3-cp313-cp313-manylinux2014_x86_64.manylinux_2_17_x86_64.manylinux_2_28_x86_64.whl"
        "six 1.17.0 six-1.17.0-py2.py3-none-any.whl"
      ];
      aarch64 = [
        "markupsafe 3.0.3 markupsafe-3.0.3-cp313-cp313-manylinux2014_aarch64.manylinux_2_17_aarch64.manylinux_2_28_aarch64.whl"
        "six 1.17.0 six-1.17.0-py2.py3-none-any.whl"
      ];
      unlocked = null;
    };
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
