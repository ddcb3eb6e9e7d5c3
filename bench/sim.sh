#!/usr/bin/env bash
# The simulation engine natively (criterion) and in wasm (headless Chromium), side by side.
#   bench/sim.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

native=$(cargo bench -q -p sim --bench engine 2>/dev/null | tee /dev/stderr |
    awk '/^handshake \+ 1 MiB/{getline; gsub(/[\[\]]/,""); print $4, $5}')
wasm=$( (source scripts/wasm-env.sh &&
    cargo test --release --target wasm32-unknown-unknown -p sim --features wasm-bench --test wasm_speed -- --nocapture 2>&1) |
    tee /dev/stderr | sed -n 's/.*median \([0-9.]*\) ms.*/\1/p')

read -r native_value native_unit <<<"$native"
native_ms=$(python3 -c "print($native_value / (1000 if '$native_unit' == 'µs' else 1))")
python3 - "$native_ms" "$wasm" <<'PY'
import sys
native, wasm = map(float, sys.argv[1:])
print("\n| handshake + 1 MiB transfer + close | time |\n|---|---:|")
print(f"| native (criterion median) | {native:.2f} ms |")
print(f"| wasm in Chromium (median of 20) | {wasm:.2f} ms |")
print(f"| wasm / native | {wasm / native:.2f} |")
PY
