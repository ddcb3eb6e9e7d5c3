//! The wasm half of `bench/sim.sh`: time the 1 MiB transfer in Chromium and print it. It makes
//! no assertion about speed (speed is measured, not asserted); it only runs with the
//! `wasm-bench` feature, in a release build.

#![cfg(all(target_arch = "wasm32", feature = "wasm-bench"))]

use sim::{Scenario, WorldConfig};
use wasm_bindgen_test::{console_log, wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn time_the_1mib_transfer() {
    let performance = web_sys::window().unwrap().performance().unwrap();
    let mut times = Vec::new();
    for _ in 0..20 {
        let start = performance.now();
        let mut world = Scenario::Transfer { bytes: 1024 * 1024 }.start(WorldConfig::default());
        assert!(world.run(1_000_000));
        times.push(performance.now() - start);
    }
    times.sort_by(f64::total_cmp);
    console_log!(
        "wasm: handshake + 1 MiB transfer + close: median {:.2} ms over 20 runs",
        times[10]
    );
}
