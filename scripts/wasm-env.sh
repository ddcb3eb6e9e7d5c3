# Source this to build Rust for wasm32 on this machine kind (see docs/TOOLCHAIN.md).
#
# rustup cannot download the wasm32 standard library here, so Debian's rustc 1.96 (rustc-web)
# compiles std from source (rust-web-src) with -Zbuild-std, and wasm-ld-22 links.
# RUSTC_BOOTSTRAP=1 lets that stable compiler accept the -Z flag; nothing else is unstable.
# node_modules/.bin supplies wasm-opt (binaryen), which Trunk runs on release builds.
_socklab_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="/usr/bin:${CARGO_HOME:-$HOME/.cargo}/bin:$_socklab_root/node_modules/.bin:$PATH"
export RUSTC_BOOTSTRAP=1
export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-22
# Panic locations (file, line) are not compiled in: nobody reads them in a page, and the paths
# were 25 KB of the labs' wasm (docs/BENCHMARKS.md). Panics still abort.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zlocation-detail=none"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export CHROMEDRIVER=/usr/bin/chromedriver
# Keep Debian's cargo on Debian's rustc even if rustup set RUSTC in the caller's environment.
export RUSTC=/usr/bin/rustc
unset RUSTUP_TOOLCHAIN
