//! Keeps the book true.
//!
//! **Code blocks.** Every page of the book (`src/**/*.md`, except `SUMMARY.md`) is compiled
//! into this crate as the doc comment of a module that exists only for `cargo test --doc`, so
//! its Rust code blocks run as doctests against the real crates (this crate's
//! dev-dependencies: `racebook-check`, `racebook-trace`, `shuttle`, `loom`, `tokio`). The
//! usual rustdoc attributes work: `ignore`, `no_run`, `should_panic`, `compile_fail`, and lines
//! starting with `# ` are compiled but hidden on the page, as in mdBook. A `compile_fail` block
//! may name the error it must fail with (`rust,compile_fail,E0499`): stable rustdoc ignores the
//! code, so this crate's `error_codes` test compiles each such block with `rustc` and checks
//! that the error is the one named (such blocks may use only `std`). `build.rs` prepares each
//! page first:
//!
//! - A fence with no language is plain text to mdBook, so it becomes `text` (rustdoc would
//!   otherwise compile it as Rust).
//! - A Rust block that `{{#include}}`s (or `{{#rustdoc_include}}`s / `{{#playground}}`s) a file
//!   from `exercises/`, `crates/` or `examples/own-code/` is not run here: that file is compiled and tested by its
//!   own crate, and the excerpt alone (an anchor, a line range) usually is not a whole program.
//!   `cargo xtask test` checks that every include resolves when it builds the book.
//! - A Rust block that includes a file from anywhere else is refused with an error: no crate
//!   would compile it, so the listing would be untested. Move it into a crate, or write it
//!   inline.
//!
//! **Captured outputs.** See [`captured`].

pub mod captured;
pub mod fences;
pub mod numbers;

/// The book's pages, one module per page (only when collecting doctests).
#[cfg(doctest)]
pub mod book {
    include!(concat!(env!("OUT_DIR"), "/book_pages.rs"));
}
