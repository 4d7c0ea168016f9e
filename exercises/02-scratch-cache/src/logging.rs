//! The service's debug logging: off by default, switched on only by the stress example to show
//! how an observer changes the timing it observes. Like a real logger, each line is formatted
//! and written to one log file shared by every thread, under that file's lock, one write per
//! line. The file is the null device: nobody reads these lines, but the writes are real.
//!
//! It uses `std` directly, not the racebook facade: the log is not part of the scenario, and the
//! checkers never run with it on (it logs only on real threads).

use crate::Request;
use racebook_engine::EngineKind;
use std::io::Write;
use std::panic::Location;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

static ENABLED: AtomicBool = AtomicBool::new(false);

/// The log file, opened when logging is first used.
static LOG: Mutex<Option<std::fs::File>> = Mutex::new(None);

/// Turn the debug log on or off for the whole process.
pub fn set_enabled(on: bool) {
    ENABLED.store(on, Ordering::Relaxed);
}

// ANCHOR: log
/// Log that `req` is being handled, at `at`, when logging is on and the code runs on real
/// threads.
pub fn log_request(req: &Request, at: &Location<'_>) {
    if !ENABLED.load(Ordering::Relaxed) || racebook_engine::engine::current() != EngineKind::Real {
        return;
    }
    let thread = std::thread::current();
    let line = format!(
        "DEBUG {}:{} [{}] request {} session {} item {}\n",
        at.file(),
        at.line(),
        thread.name().unwrap_or("?"),
        req.id,
        req.session,
        req.item
    );
    let mut log = LOG.lock().unwrap_or_else(|e| e.into_inner());
    if log.is_none() {
        *log = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/null")
            .ok();
    }
    if let Some(file) = log.as_mut() {
        let _ = file.write_all(line.as_bytes());
    }
}
// ANCHOR_END: log
