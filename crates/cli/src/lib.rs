//! The `racebook` command's library: everything but argument parsing, so that tests can use
//! the manifest, state and report code directly.

pub mod book;
pub mod browser;
pub mod cargo;
pub mod catalog;
pub mod clock;
pub mod commands;
pub mod context;
pub mod hints;
pub mod manifest;
pub mod repo;
pub mod report;
pub mod state;
pub mod summary;
pub mod watch;
