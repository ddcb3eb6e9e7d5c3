//! The wasm entry point: hydrate the page's lab islands (see [`frontend::labs`]).

fn main() {
    #[cfg(target_arch = "wasm32")]
    frontend::labs::hydrate_all();
}
