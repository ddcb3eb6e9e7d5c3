#!/usr/bin/env bash
# Build the site into dist/: the one way every command builds it (./dev run, ./dev site,
# scripts/test.sh, the benchmarks).
#
# Trunk compiles the page for wasm32 with Debian's toolchain (scripts/wasm-env.sh), runs
# wasm-bindgen and wasm-opt, and its post-build hook writes compressed siblings of every asset.
#
# Trunk runs online, like any cargo build: `--offline` would also make cargo refuse to fetch a
# crate, and -Zbuild-std resolves the standard library's own dependencies (dlmalloc, …) only
# when it builds. scripts/bootstrap.sh fetches those up front, so with a warm registry nothing
# here touches the network. `--skip-version-check` stops Trunk asking GitHub for a newer Trunk;
# the tools it runs (wasm-bindgen, wasm-opt) are the ones bootstrap installed, found on PATH.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/wasm-env.sh
exec trunk --skip-version-check build --release "$@"
