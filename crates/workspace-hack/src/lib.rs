//! The workspace's feature-unification crate, generated and kept by `cargo hakari`
//! (`cargo install cargo-hakari`; `cargo hakari generate` after changing dependencies).
//!
//! Every native member depends on it, so cargo resolves the same features of the shared
//! dependencies whichever packages a command builds. Without it, `cargo test` in one exercise
//! picked other features than the workspace build and rebuilt the checkers from scratch. The
//! wasm visualizer and the trace model it uses stay out: this crate must never reach wasm32.
