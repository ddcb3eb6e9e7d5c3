//! The simulation labs' wasm: the connection, sticky-packet and readiness labs, on smoltcp.
//! A page loads it only if it has one of these labs (see [`frontend::labs::Bundle`]).

fn main() {
    #[cfg(target_arch = "wasm32")]
    {
        use frontend::labs::{Bundle, LabSpec, connection, readiness, sticky};
        frontend::labs::hydrate_all(Bundle::Sim, |island, spec| match spec {
            LabSpec::Connection(s) => island.hydrate::<connection::ConnectionLab, _>(s),
            LabSpec::Sticky(s) => island.hydrate::<sticky::StickyLab, _>(s),
            LabSpec::Readiness(s) => island.hydrate::<readiness::ReadinessLab, _>(s),
            // hydrate_all hands this bundle only its own labs.
            LabSpec::Subnet(_) | LabSpec::Console(_) => {}
        });
    }
}
