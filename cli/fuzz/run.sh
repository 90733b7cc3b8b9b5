#!/usr/bin/env bash
# Runs each fuzz target for a bounded time (FUZZ_SECONDS, default 30) on stable Rust:
# cargo-fuzz needs nightly-only flags (-Zsanitizer), which RUSTC_BOOTSTRAP=1 unlocks.
set -euo pipefail
cd "$(dirname "$0")"
# The offline suite's tool directory, when it provides cargo-fuzz.
if [ -n "${WW_CARGO_TOOLS_BIN:-}" ] && [ -x "$WW_CARGO_TOOLS_BIN/cargo-fuzz" ]; then
    PATH="$WW_CARGO_TOOLS_BIN:$PATH"
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz/run.sh: cargo-fuzz is not installed (run: cargo install cargo-fuzz --locked)" >&2
    exit 1
fi
seconds="${FUZZ_SECONDS:-30}"
mkdir -p corpus/archive corpus/elf
# Seed the corpora with a real wheel and ELF object when the test suite has built them.
for w in ../target/tmp/good_binary/*.whl; do [ -f "$w" ] && cp "$w" corpus/archive/; done
for s in ../target/tmp/good_binary/m.so; do [ -f "$s" ] && cp "$s" corpus/elf/; done
for target in archive elf; do
    echo "fuzz/run.sh: fuzzing $target for ${seconds}s"
    RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=1048576
done
echo "fuzz/run.sh: no crash in any target"
