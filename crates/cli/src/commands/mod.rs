//! One module per subcommand.

pub mod check;
pub mod hint;
pub mod list;
pub mod report;
pub mod reset;
pub mod solution;
pub mod stress;
pub mod verify;
pub mod view;
pub mod viz;
pub mod warm;
pub use crate::watch;
