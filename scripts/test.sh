#!/usr/bin/env bash
# Every check and test SockLab has, in order of cost. Run through `./dev test`, which installs
# the tools first. Fails on the first failing phase.
#
# Phases 1–3 build (and may download crates). The tests themselves (phase 4) then run inside a
# private network namespace where possible: only a loopback interface, so the chapters' fixed
# echo port 7007 never collides with a SockLab you are running, and nothing can leak off the
# machine. Without permission for that (not root), they run on the host's loopback instead.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

phase() { printf '\n\033[1;34m== %s\033[0m\n' "$*" >&2; }
timed() { local start=$SECONDS; "$@"; echo "   ($(( SECONDS - start )) s)" >&2; }
wasm() { (source scripts/wasm-env.sh && "$@"); }

if [ "${1:-}" != --isolated ]; then
    phase "1/4 format and lints (native crates and the frontend)"
    timed cargo fmt --all --check
    timed cargo clippy --quiet --workspace --all-targets --all-features -- -D warnings

    phase "2/4 build native tests, the relay binary, the wasm tests"
    timed cargo test --quiet --no-run --all-features
    timed wasm cargo test --quiet --no-run --target wasm32-unknown-unknown -p sim -p frontend

    phase "3/4 build the site, the release relay (what ./dev run serves) and the load generator"
    timed scripts/build-site.sh
    timed cargo build --quiet --release -p relay -p loadgen

    if unshare --net true 2>/dev/null; then
        exec unshare --net -- bash -c 'ip link set lo up && exec "$0" --isolated' "$0"
    fi
    echo "test: cannot create a network namespace (not root?); testing on the host's loopback" >&2
fi

phase "4/4 tests"
echo "-- native: unit, protocol, real sockets, content snippets" >&2
timed cargo test --offline --all-features
echo "-- wasm in headless Chromium: simulation and components" >&2
timed wasm cargo test --offline --target wasm32-unknown-unknown -p sim -p frontend
echo "-- deployment artefacts: k8s manifests, Dockerfile, compose file, nginx entrypoint" >&2
timed scripts/check-deploy.sh
echo "-- end to end: the relay binary, the built site, Chromium" >&2
timed node --test e2e/
echo "-- soak, short (docs/BENCHMARKS.md has the 10-minute one): every byte compared, memory and" >&2
echo "   descriptors back after the pages leave, SIGTERM under load closes every page with 1001" >&2
timed target/release/socklab-loadgen soak --clients 50 --secs 10
