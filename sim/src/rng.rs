//! The simulation's only source of randomness: SplitMix64 (Steele, Lea & Flood, 2014).
//!
//! Tiny, fast, and — the property that matters here — it gives the same numbers on every
//! platform, so a seed reproduces a run exactly, natively and in wasm.

#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1), from the top 53 bits (exactly representable in an f64).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// `true` with probability `p`. Draws a number even when `p` is 0 or 1, so changing one
    /// probability does not shift every later random choice of the run.
    pub fn chance(&mut self, p: f64) -> bool {
        self.next_f64() < p
    }

    /// Uniform in [0, n]; 0 when n is 0.
    pub fn up_to(&mut self, n: u64) -> u64 {
        let draw = self.next_u64();
        if n == 0 { 0 } else { draw % (n + 1) }
    }
}
