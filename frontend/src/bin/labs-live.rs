//! The live labs' wasm: the relay console and the subnet calculator — no smoltcp in it.
//! A page loads it only if it has one of these labs (see [`frontend::labs::Bundle`]).

fn main() {
    #[cfg(target_arch = "wasm32")]
    {
        use frontend::labs::{Bundle, LabSpec, console, subnet};
        frontend::labs::hydrate_all(Bundle::Live, |island, spec| match spec {
            LabSpec::Console(s) => island.hydrate::<console::ConsoleLab, _>(s),
            LabSpec::Subnet(s) => island.hydrate::<subnet::SubnetLab, _>(s),
            // hydrate_all hands this bundle only its own labs.
            LabSpec::Connection(_) | LabSpec::Sticky(_) | LabSpec::Readiness(_) => {}
        });
    }
}
