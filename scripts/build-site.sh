#!/usr/bin/env bash
# Build the site into dist/: the one way every command builds it (./dev run, ./dev site,
# scripts/test.sh, the benchmarks).
#
#   1. Trunk compiles the labs for wasm32 with Debian's toolchain (scripts/wasm-env.sh) and runs
#      wasm-bindgen and wasm-opt, once per lab bundle (frontend/index.html: the simulations,
#      frontend/live.html: the live labs): dist/labs-<bundle>-<hash>.js and _bg.wasm.
#   2. The book (native, rustup's toolchain) checks the course and writes every page, the
#      stylesheet, the reader script and the search indexes around them.
#   3. Every file gets maximum-quality .br and .gz siblings, served as they are.
#
# Everything runs online, like any cargo build: `--offline` would make cargo refuse to fetch a
# crate, and -Zbuild-std resolves the standard library's own dependencies (dlmalloc, …) only
# when it builds. scripts/bootstrap.sh fetches those up front, so with a warm registry nothing
# here touches the network. `--skip-version-check` stops Trunk asking GitHub for a newer Trunk;
# the tools it runs (wasm-bindgen, wasm-opt) are the ones bootstrap installed, found on PATH.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# Trunk replaces its dist directory on every build, so the live bundle is built beside it first
# and copied in after the simulation bundle's build.
(
    source scripts/wasm-env.sh
    trunk --skip-version-check build frontend/live.html --release --dist target/trunk-live "$@"
    trunk --skip-version-check build --release "$@"
)
cp target/trunk-live/labs-live-* dist/
cargo run --quiet --release -p book -- --dist dist
node scripts/precompress.mjs dist
