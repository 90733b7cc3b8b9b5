#!/bin/sh
# Debian's musl-gcc as CPython's configure needs it (setup.sh's musl CPython):
# gcc answers --print-multiarch with the glibc triplet, which configure then
# finds at odds with the compiler's own musl one.
case " $* " in
*" --print-multiarch "* | *" -print-multiarch "*) exit 0 ;;
esac
exec musl-gcc "$@"
