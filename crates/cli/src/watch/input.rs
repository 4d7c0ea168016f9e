//! Keys for `watch`: one thread reads standard input byte by byte and sends each as an event.
//! On a terminal, raw mode is on only while `watch` waits, so a key acts at once, and it is off
//! while a check prints (the child's output and ours need the terminal's normal line endings).
//! From a pipe (tests, scripts) keys are just bytes: `h\n` works like pressing h.

use super::Event;
use std::io::{IsTerminal, Read};
use std::sync::mpsc::Sender;

/// Ctrl-C and Ctrl-D as raw mode delivers them.
pub const CTRL_C: u8 = 3;
pub const CTRL_D: u8 = 4;

pub fn spawn_reader(tx: Sender<Event>) {
    std::thread::spawn(move || {
        let mut stdin = std::io::stdin().lock();
        let mut buf = [0u8; 64];
        loop {
            match stdin.read(&mut buf) {
                Ok(0) | Err(_) => {
                    let _ = tx.send(Event::InputClosed);
                    return;
                }
                Ok(n) => {
                    for &b in &buf[..n] {
                        if tx.send(Event::Key(b)).is_err() {
                            return;
                        }
                    }
                }
            }
        }
    });
}

/// Raw mode for as long as this lives, when standard input is a terminal.
pub struct RawMode {
    on: bool,
}

impl RawMode {
    pub fn enter() -> RawMode {
        let on = std::io::stdin().is_terminal() && crossterm::terminal::enable_raw_mode().is_ok();
        RawMode { on }
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        if self.on {
            let _ = crossterm::terminal::disable_raw_mode();
        }
    }
}
