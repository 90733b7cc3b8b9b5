# shellcheck shell=bash
# Cargo tools: alejandra, deadnix, cbindgen and cargo-fuzz.
# Sourced by checks/offline/setup.sh, after common.sh.

# alejandra: the crates.io library 3.1.0 behind a small CLI (alejandra-cli/)
# cbindgen: the version lib/data/tools.json pins for the flake (cargo install --locked checks the
# crate against the registry's sha256, the one pinned there, and builds it with its own lock)
CBINDGEN_VERSION=$(python3 "$HERE/../harness/pinned_tools.py" version cbindgen)
CARGO_TOOLS="alejandra@3.1.0 deadnix@1.3.1 cbindgen@$CBINDGEN_VERSION cargo-fuzz@0.13.2"
CARGO_TOOLS_ROOT=$WW_CI_ROOT/cargo-tools
host_cargo() {
  if [ -n "${WW_HOST_CARGO:-}" ]; then echo "$WW_HOST_CARGO"
  elif [ -x "${CARGO_HOME:-$HOME/.cargo}/bin/cargo" ]; then echo "${CARGO_HOME:-$HOME/.cargo}/bin/cargo"
  else command -v cargo
  fi
}

do_cargo_tool() { # NAME VERSION
  local cargo
  cargo=$(host_cargo)
  "$cargo" --version
  if [ "$1" = alejandra ]; then
    # crates.io's alejandra is only the library (its CLI crate is not
    # published): alejandra-cli/ is a minimal CLI on it, with a pinned lock
    CARGO_TARGET_DIR=$DL/cargo-target "$cargo" install --locked --root "$CARGO_TOOLS_ROOT" --path "$HERE/alejandra-cli"
  else
    CARGO_TARGET_DIR=$DL/cargo-target "$cargo" install --locked --root "$CARGO_TOOLS_ROOT" \
      --version "=$2" "$1"
  fi
  chmod -R a+rX "$CARGO_TOOLS_ROOT"
  "$CARGO_TOOLS_ROOT/bin/$1" --version
}


setup_cargo_tools() {
  for spec in $CARGO_TOOLS; do
    name=${spec%@*} ver=${spec#*@} key=${spec#*@}
    [ "$name" != alejandra ] || key="$ver $(cat "$HERE"/alejandra-cli/Cargo.* "$HERE"/alejandra-cli/src/*.rs | sha256sum | cut -c1-16)"
    if stamp_ok "cargo-$name" "$key" && [ -x "$CARGO_TOOLS_ROOT/bin/$name" ]; then
      cached "$name"
    else
      step "$name" do_cargo_tool "$name" "$ver"
      stamp_set "cargo-$name" "$key"
    fi
  done
}
