//! The `racebook` binary driven on a copy of the repository, one module per area. They share
//! one copy (see `support`) and take turns through its lock.

mod answers;
mod cli;
mod report;
mod screen;
mod support;
mod viz;
mod watch;
