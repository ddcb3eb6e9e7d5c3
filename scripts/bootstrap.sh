#!/usr/bin/env bash
# Install exactly what SockLab needs that this machine is missing, and nothing else.
#
# Idempotent: every step first checks whether its tool is present at the pinned version and
# does nothing if so; a warm machine passes through in about a second. Every install is
# announced; anything that cannot be had stops the script with the reason.
#
# Why these tools (see docs/TOOLCHAIN.md for the full story):
#   rustc-web, cargo-web,   Debian's rustc 1.96 and the standard library *source*: rustup cannot
#   rust-web-src, lld-22    fetch the wasm32 target here, so std is built from source
#                           (-Zbuild-std) and linked with wasm-ld-22.
#   chromium, chromium-driver  the real browser the page and wasm tests run in.
#   tshark                  reads the simulator's pcap exports in tests.
#   websockify              the reference WebSocket→TCP bridge the load benchmark compares with.
#   nginx, libnginx-mod-    the reverse proxy of the deployment (deploy/nginx/), run for real by
#   http-brotli-static      e2e/proxy.test.js with TLS (openssl makes its test certificate),
#   gettext-base            through deploy/nginx/entrypoint.sh, which renders its config (envsubst).
#   python3-venv, .venv     the deployment checks' Python tools (scripts/deploy-tools.txt):
#                           kubernetes-validate, hadolint, PyYAML.
#   wasm-bindgen-cli, trunk pinned cargo tools; wasm-bindgen must match the crate exactly.
#   node_modules            playwright-core (drives Debian's Chromium in end-to-end tests), axe-core,
#                           lighthouse (page benchmarks) and
#                           binaryen's wasm-opt (Debian's is too old for today's wasm).
#   wasm crates             the wasm build's crates *and* the standard library's (see the end).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WASM_BINDGEN_VERSION=0.2.130
TRUNK_VERSION=0.21.14

say() { printf '\033[1;34mbootstrap:\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31mbootstrap: %s\033[0m\n' "$*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        die "need root to run: $* (no sudo found)"
    fi
}

# --- Debian packages -------------------------------------------------------------------------
apt_packages=(rustc-web cargo-web rust-web-src lld-22 chromium chromium-driver fonts-wqy-microhei tshark websockify iproute2
    nginx libnginx-mod-http-brotli-static gettext-base openssl python3-venv)
missing=()
for p in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq || die "apt-get update failed: no route to the Debian mirror?"
    # tshark asks whether non-root users may capture; answer 'no' without a prompt.
    echo 'wireshark-common wireshark-common/install-setuid boolean false' | as_root debconf-set-selections
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null || die "apt-get install ${missing[*]} failed"
    # On a machine with systemd, Debian starts the nginx it just installed on port 80. SockLab
    # only runs its own nginx instances (e2e/proxy.test.js); stop the system one we caused.
    if [[ " ${missing[*]} " == *" nginx "* ]] && [ -d /run/systemd/system ]; then
        say "stopping and disabling the system nginx service that installing nginx started"
        as_root systemctl disable --now nginx >/dev/null 2>&1 || true
    fi
fi
/usr/bin/rustc --version | grep -q '^rustc 1\.9[6-9]' ||
    die "Debian's /usr/bin/rustc is $(/usr/bin/rustc --version); need >= 1.96 (package rustc-web)"
[ -d /usr/lib/rustlib/src/rust/library ] || die "std source missing at /usr/lib/rustlib/src/rust (package rust-web-src)"

# --- Pinned cargo tools (built with rustup's stable toolchain) --------------------------------
# rustup's cargo lives in ~/.cargo/bin; make sure it is the one used, not Debian's.
cargo_home=${CARGO_HOME:-$HOME/.cargo}
rustup_cargo="$cargo_home/bin/cargo"
[ -x "$rustup_cargo" ] || rustup_cargo=$(command -v cargo) || die "no cargo on this machine"

have_version() { # tool expected-version
    [ -x "$cargo_home/bin/$1" ] && "$cargo_home/bin/$1" --version 2>/dev/null | grep -qF " $2"
}
if ! have_version wasm-bindgen "$WASM_BINDGEN_VERSION"; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes; once per machine)"
    # Not --locked: its lockfile pins a crate version this registry does not serve.
    "$rustup_cargo" install --quiet --force wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" ||
        die "cargo install wasm-bindgen-cli failed"
fi
if ! have_version trunk "$TRUNK_VERSION"; then
    say "installing trunk $TRUNK_VERSION (several minutes; once per machine)"
    # 0.21.x, not 0.22: the latter needs rustc >= 1.96.1.
    "$rustup_cargo" install --quiet --force --locked trunk --version "=$TRUNK_VERSION" ||
        die "cargo install trunk failed"
fi

# --- Node packages (package.json) ---------------------------------------------------------------
# package.json pins (overrides) the two packages that @paulirish/trace_engine, a lighthouse
# dependency, asks for as "latest": a dist-tag moves when upstream publishes, and `npm ci` then
# refuses the lock file as out of sync — CI failed exactly so when third-party-web 0.30.0 came out.
if [ ! -f "$here/node_modules/.package-lock.json" ] ||
    [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ] ||
    [ "$here/package.json" -nt "$here/node_modules/.package-lock.json" ]; then
    command -v npm >/dev/null || die "npm is missing (Node.js runs the e2e tests and wasm-opt)"
    say "installing node packages (playwright-core, binaryen, axe-core, lighthouse)"
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed"
fi

# --- Python tools for the deployment checks (scripts/deploy-tools.txt) ----------------------------
# A venv with Debian's python3, in the checkout (ignored by git): nothing touches the system's
# Python. Reinstalled when the pins change; offline afterwards (the validator bundles its schemas).
venv="$here/.venv"
if [ ! -f "$venv/.installed" ] || [ "$here/scripts/deploy-tools.txt" -nt "$venv/.installed" ]; then
    say "installing the deployment checks' Python tools (kubernetes-validate, hadolint) into .venv"
    rm -rf "$venv"
    /usr/bin/python3 -m venv "$venv" || die "python3 -m venv failed (package python3-venv)"
    "$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps \
        -r "$here/scripts/deploy-tools.txt" || die "pip install of scripts/deploy-tools.txt failed: no route to PyPI?"
    touch "$venv/.installed"
fi

# --- Crates for the wasm build, the standard library's own included ------------------------------
# -Zbuild-std compiles std from source, and std depends on crates.io packages (dlmalloc,
# rustc-demangle, …) that cargo resolves only for a wasm32 build. Fetch them, with the
# workspace's wasm dependencies, so that no build or test ever finds them missing, whichever
# command runs first. Cargo's fetch honours -Zbuild-std. A warm registry answers in under a second.
(source "$here/scripts/wasm-env.sh" && cd "$here" &&
    cargo fetch --quiet --locked --target wasm32-unknown-unknown) ||
    die "cargo fetch for wasm32 failed: no route to crates.io?"

exit 0
