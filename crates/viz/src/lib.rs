//! The racebook visualizer core. Everything the page decides is decided here, in Rust that is
//! tested natively: what the player shows at each step (`player`, `state`, `edges`, `window`), the
//! play-the-scheduler game (`game`), the side-by-side comparison (`compare`) and how a trace
//! reaches the page (`load`). `bindings` is the thin wasm-bindgen layer the page's JS calls.
//! Depends on the trace model only: never on an engine.

pub mod bindings;
pub mod compare;
pub mod edges;
pub mod game;
pub mod load;
pub mod player;
pub mod state;
pub mod window;
pub mod words;

#[cfg(test)]
mod testing;
