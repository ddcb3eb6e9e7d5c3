pub mod echo;
pub mod handshake;
pub mod header;
