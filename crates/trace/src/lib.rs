//! The racebook trace: the data model every part shares (the harness writes it, the terminal
//! report and the visualizer read it), its validating parser, happens-before analysis, the
//! conflicting-pair finder and the text timeline. No engine dependency, so it builds for wasm.

pub mod aba;
pub mod claims;
pub mod confirm;

pub mod conflict;
pub mod describe;
pub mod diagnosis;
pub mod handshake;
pub mod hb;
pub mod lock_order;
pub mod model;
mod names;
pub mod parse;
pub mod sc_order;
pub mod schedule;
pub mod seqcst;
mod shapes;
pub mod spin;
pub mod text;
pub mod timeline;
pub mod tree;
pub mod wakeup;

pub use claims::Claim;
pub use confirm::{confirm, confirm_lock_cycle, confirm_lost_wakeup};
pub use conflict::find_conflict;
pub use describe::describe;
pub use hb::HappensBefore;
pub use model::*;
pub use names::tell_apart;
pub use parse::{Limits, TraceError};
pub use timeline::{TimelineOptions, render_timeline};
pub use tree::{
    BlockedThread, Edge, NodeId, Outcome, ScheduleTree, TREE_FORMAT, TREE_VERSION, TreeNode,
};
