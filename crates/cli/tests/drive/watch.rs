//! `racebook watch` re-checks after a save, and acts on keys: a bounded, deterministic test.
//! The test waits for the lines watch prints (never for a time), each wait with a deadline that
//! fails the test with what was printed instead of hanging; `--max-checks` ends the session.

use crate::support::Fixture;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

const EX: &str = "01-counter-map";
/// Generous: a check includes a cargo build of the exercise on a busy 2-core machine.
const DEADLINE: Duration = Duration::from_secs(300);

struct Session {
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Session {
    /// Wait until a line containing `text` is printed; returns it.
    fn expect(&mut self, text: &str) -> String {
        let start = Instant::now();
        while let Some(left) = DEADLINE.checked_sub(start.elapsed()) {
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(text) {
                        return line;
                    }
                }
                Err(_) => break,
            }
        }
        panic!(
            "watch never printed {text:?}; it printed:\n{}",
            self.seen.join("\n")
        );
    }

    fn keys(&mut self, keys: &str) {
        let stdin = self.child.stdin.as_mut().unwrap();
        stdin.write_all(keys.as_bytes()).unwrap();
        stdin.flush().unwrap();
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn watch_rechecks_after_a_save_offers_the_next_exercise_and_asks_before_a_reset() {
    let f = Fixture::new();
    // With a second exercise, the list key switches to it: one more check.
    let checks = if f.second().is_some() { 4 } else { 3 };
    let mut child = f
        .cmd(&["watch", "01", "--max-checks", &checks.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, lines) = channel();
    let out = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    let mut s = Session {
        child,
        lines,
        seen: Vec::new(),
    };

    // Check 1: the starting point is red; then watch waits, with its keys shown.
    s.expect("✗ 01-counter-map is red");
    s.expect("watching exercises/01-counter-map/src/exercise.rs (01-counter-map: red)");
    s.keys("h\n");
    s.expect("Hint 1 (1 of 3)");
    s.expect("watching ");

    // Check 2: a save with a fix turns it green, and the next exercise is offered.
    f.apply_fix(EX, "fixed_channel.rs");
    s.expect("✓ 01-counter-map is green");
    match f.second() {
        Some(second) => s.expect(&format!("n: on to {second}")),
        None => s.expect("that was the last exercise"),
    };
    s.expect("watching ");

    // Reset asks first; "no" keeps the file.
    s.keys("r\nn\n");
    s.expect("not reset");
    s.expect("watching ");
    // "yes" backs it up and restores the start, which is a save: check 3 is red again.
    s.keys("r\ny\n");
    s.expect("is backed up as .racebook/backups/01-counter-map/");
    s.expect("✗ 01-counter-map is red");
    // The list, then a number and Enter switches exercise and checks it.
    if let Some(second) = f.second() {
        s.expect("watching ");
        let number = second.split('-').next().unwrap();
        s.keys(&format!("l{number}\n"));
        s.expect("type an exercise's number and Enter to switch");
        s.expect(&format!("✗ {second} is red"));
    }
    s.expect(&format!("stopping after {checks} checks"));
    let status = s.child.wait().unwrap();
    assert!(status.success(), "{status}");

    let state = f.state();
    assert_eq!(state["exercises"][EX]["checks"], 3);
    if let Some(second) = f.second() {
        assert_eq!(state["current"], second);
    }
    assert_eq!(state["exercises"][EX]["hints_shown"], 1);
    assert_eq!(state["exercises"][EX]["status"], "red");
    assert!(
        state["exercises"][EX]["first_green"].is_u64(),
        "the green check is remembered"
    );
}
