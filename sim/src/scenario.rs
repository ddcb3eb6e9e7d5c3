//! Named setups that lessons run. A scenario is data (serde), so the page, tests and tools can
//! name one and get exactly the same run.

use serde::{Deserialize, Serialize};

use crate::trace::Side;
use crate::world::{World, WorldConfig};

/// The port the simulated server listens on.
pub const SERVER_PORT: u16 = 80;

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
#[serde(tag = "scenario", rename_all = "snake_case")]
pub enum Scenario {
    /// The server listens; the client connects. Ends when both sides are ESTABLISHED.
    Handshake { config: WorldConfig },
}

impl Scenario {
    /// Build the world and make the scenario's opening calls at virtual time zero.
    pub fn start(&self) -> World {
        match self {
            Scenario::Handshake { config } => {
                let mut world = World::new(config);
                world.listen(Side::Server, SERVER_PORT);
                world.connect(Side::Client, SERVER_PORT);
                world
            }
        }
    }
}
