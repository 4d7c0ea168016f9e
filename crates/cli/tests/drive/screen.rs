//! A screen test of `racebook watch` in a pseudo-terminal, as a person uses it: raw keys, no
//! Enter. A single `h` must show a hint at once (in line mode it would wait for Enter, and this
//! test would fail at its deadline with the screen so far), and a save must turn it green.

use crate::support::Fixture;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const EX: &str = "01-counter-map";
/// Generous: a check includes a cargo build of the exercise on a busy 2-core machine.
const DEADLINE: Duration = Duration::from_secs(300);

/// Everything the terminal has shown so far.
struct Screen(Arc<Mutex<String>>);

impl Screen {
    /// Wait until the screen shows `text` after byte `from`; returns where it ends.
    fn expect(&self, text: &str, from: usize) -> usize {
        let start = Instant::now();
        while start.elapsed() < DEADLINE {
            {
                let shown = self.0.lock().unwrap();
                if let Some(at) = shown.get(from..).and_then(|rest| rest.find(text)) {
                    return from + at + text.len();
                }
            }
            // Polling what a reader thread collects; the outcome does not depend on this pace.
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "the screen never showed {text:?}:\n{}",
            self.0.lock().unwrap()
        );
    }
}

#[test]
fn watch_in_a_terminal_takes_single_keys_and_turns_green_on_save() {
    let f = Fixture::new();
    let pty = native_pty_system()
        .openpty(PtySize {
            rows: 50,
            cols: 200,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_racebook"));
    cmd.args(["watch", "01", "--max-checks", "2"]);
    cmd.cwd(&f.root);
    for (key, value) in f.cmd(&[]).get_envs() {
        match value {
            Some(v) => cmd.env(key, v),
            None => cmd.env_remove(key),
        }
    }
    let mut child = pty.slave.spawn_command(cmd).unwrap();
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().unwrap();
    let mut keys = pty.master.take_writer().unwrap();
    let shown = Arc::new(Mutex::new(String::new()));
    let collect = Arc::clone(&shown);
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                return;
            }
            collect
                .lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    let screen = Screen(shown);

    let at = screen.expect(
        "watching exercises/01-counter-map/src/exercise.rs (01-counter-map: red)",
        0,
    );
    keys.write_all(b"h").unwrap();
    keys.flush().unwrap();
    let at = screen.expect("Hint 1 (1 of 3)", at);
    let at = screen.expect("(another hint: press h)", at);
    f.apply_fix(EX, "fixed_lock.rs");
    let at = screen.expect("✓ 01-counter-map is green", at);
    screen.expect("stopping after 2 checks", at);
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
}
