#!/bin/sh
# RUSTC_WRAPPER for setup.sh's musl std build (cargo -Zbuild-std): rustc's own
# build compiles panic_abort and compiler_builtins with -C panic=abort (its
# bootstrap shim adds it), so that crates with panic = "abort" can link them.
rustc=$1
shift
case " $* " in
*" --crate-name panic_abort "* | *" --crate-name compiler_builtins "*) exec "$rustc" "$@" -C panic=abort ;;
esac
exec "$rustc" "$@"
