#!/bin/sh
# The C compiler of setup.sh's musl CPython: Debian's musl-gcc natively, zig cc
# for $WW_MUSL_ZIG_TARGET when cross-building. Either answers --print-multiarch
# with nothing: gcc would give the glibc triplet, which configure then finds at
# odds with the compiler's own musl one (zig has no such option).
case " $* " in
*" --print-multiarch "* | *" -print-multiarch "*) exit 0 ;;
esac
if [ -n "${WW_MUSL_ZIG_TARGET:-}" ]; then
  # configure takes the platform triplet, and so the extension suffix (e.g.
  # .cpython-313-arm-linux-musleabihf.so), from preprocessing
  # Misc/platform_triplet.c, which knows musl by the __DEFINED_va_list that
  # musl's <stdarg.h> defines; zig's clang includes its own <stdarg.h>.
  case " $* " in
  *"/Misc/platform_triplet.c "*) set -- -D__DEFINED_va_list "$@" ;;
  esac
  # -dynamic: zig links musl programs statically otherwise, and a static
  # python cannot load extension modules; zig's clang makes __DATE__ (in
  # CPython's getbuildinfo.c) an error
  exec "$WW_ZIG" cc -target "$WW_MUSL_ZIG_TARGET" -dynamic -Wno-error=date-time "$@"
fi
exec musl-gcc "$@"
