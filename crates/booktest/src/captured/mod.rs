//! Captured outputs: the compiler errors and reports the book shows, regenerated from the real
//! commands by `cargo xtask capture` and checked for drift by `cargo xtask test` and by this
//! crate's `captured` test (so a plain `cargo test` catches drift too).

pub mod drift;
pub mod manifest;
pub mod normalize;
pub mod run;

pub use drift::{Written, capture_all, check_drift};
