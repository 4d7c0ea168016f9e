//! `racebook watch [EX]`: check the current exercise, then re-check it on every save of the
//! learner's file, and act on single keys in between: n next, h hint, l list (and pick),
//! r reset (asks first), s solution, c check now, q quit. When the exercise turns green it
//! offers the next one.

mod files;
mod input;

use crate::commands::check;
use crate::commands::{hint, list, reset, solution};
use crate::context::Ctx;
use crate::manifest::Exercise;
use crate::state::{Progress, State};
use anyhow::{Result, bail};
use std::sync::mpsc::{Receiver, Sender, channel};

/// What `watch` waits for.
pub enum Event {
    Saved,
    Key(u8),
    InputClosed,
    WatchFailed(String),
}

/// What handling an event did.
enum Step {
    Quit,
    Acted,
    /// Nothing to show (a save that did not change the file): no new prompt.
    Ignored,
}

const KEYS: &str = "n next · h hint · l list · r reset · s solution · c check · q quit";

struct Session<'a> {
    ctx: &'a Ctx,
    ex: &'a Exercise,
    progress: Progress,
    checks: u32,
    max_checks: Option<u32>,
    events: Receiver<Event>,
    tx: Sender<Event>,
    /// A save seen while waiting for a key of a question; checked right after.
    saved_meanwhile: bool,
    /// The learner's file as the last check saw it. The watcher also reports reads (cargo
    /// reads the file to build it), so a change is a change of content.
    checked_content: Option<Vec<u8>>,
    _files: notify_debouncer_mini::Debouncer<notify::RecommendedWatcher>,
}

pub fn run(ctx: &Ctx, exercise: Option<&str>, max_checks: Option<u32>) -> Result<()> {
    let ex = ctx.pick(exercise)?;
    let (tx, events) = channel();
    input::spawn_reader(tx.clone());
    let files = files::watch(&ex.learner_file(), tx.clone())?;
    let mut s = Session {
        ctx,
        ex,
        progress: Progress::NotStarted,
        checks: 0,
        max_checks,
        events,
        tx,
        saved_meanwhile: false,
        checked_content: None,
        _files: files,
    };
    s.switch_to(ex)?;
    let mut show_prompt = true;
    loop {
        if s.max_checks.is_some_and(|m| s.checks >= m) {
            println!("stopping after {} checks", s.checks);
            return Ok(());
        }
        if s.saved_meanwhile {
            s.saved_meanwhile = false;
            if s.changed() {
                s.check();
                continue;
            }
        }
        if show_prompt {
            s.prompt();
        }
        let Some(event) = s.next_event() else {
            println!("bye");
            return Ok(());
        };
        match s.handle(event)? {
            Step::Quit => {
                println!("bye");
                return Ok(());
            }
            Step::Acted => show_prompt = true,
            Step::Ignored => show_prompt = false,
        }
    }
}

impl<'a> Session<'a> {
    /// Make `ex` current, watch its file and check it.
    fn switch_to(&mut self, ex: &'a Exercise) -> Result<()> {
        self.ctx.set_current(ex.slug())?;
        if ex.slug() != self.ex.slug() {
            self._files = files::watch(&ex.learner_file(), self.tx.clone())?;
            self.ex = ex;
        }
        self.progress = Progress::NotStarted;
        self.check();
        Ok(())
    }

    fn changed(&self) -> bool {
        std::fs::read(self.ex.learner_file()).ok() != self.checked_content
    }

    fn check(&mut self) {
        self.checked_content = std::fs::read(self.ex.learner_file()).ok();
        println!();
        match check::check(self.ctx, self.ex) {
            Ok(p) => {
                let turned_green = p == Progress::Green && self.progress != Progress::Green;
                self.progress = p;
                if turned_green {
                    self.offer_next();
                } else {
                    check::say_next(self.ctx, self.ex, p, true);
                }
            }
            Err(e) => println!("error: {e:#}"),
        }
        self.checks += 1;
    }

    fn offer_next(&self) {
        match self.ctx.catalog.after(self.ex.slug()) {
            Some(next) => println!(
                "✓ well done! n: on to {} “{}” · s: see the reference fixes · q: quit",
                next.slug(),
                next.title()
            ),
            None => println!(
                "✓ well done, that was the last exercise! s: see the reference fixes · q: quit"
            ),
        }
    }

    fn prompt(&self) {
        println!(
            "watching {} ({}: {}) · {KEYS}",
            self.ctx.repo.shown(&self.ex.learner_file()),
            self.ex.slug(),
            self.progress.label()
        );
    }

    /// The next event, with keys read raw on a terminal. `None` when input is closed.
    fn next_event(&mut self) -> Option<Event> {
        let _raw = input::RawMode::enter();
        loop {
            match self.events.recv().ok()? {
                Event::InputClosed => return None,
                // Enter and spaces are what a pipe or a habit adds after a key.
                Event::Key(b'\n' | b'\r' | b' ') => continue,
                event => return Some(event),
            }
        }
    }

    /// The next key, for a question; a save meanwhile is remembered. `None` when input closed.
    fn next_key(&mut self) -> Option<u8> {
        let _raw = input::RawMode::enter();
        loop {
            match self.events.recv().ok()? {
                Event::Key(k) => return Some(k),
                Event::Saved => self.saved_meanwhile = true,
                Event::InputClosed | Event::WatchFailed(_) => return None,
            }
        }
    }

    /// Act on one event.
    fn handle(&mut self, event: Event) -> Result<Step> {
        match event {
            // Saves queued during a check find the content already checked: no repeat.
            Event::Saved if self.changed() => self.check(),
            Event::Saved => return Ok(Step::Ignored),
            Event::WatchFailed(why) => bail!("watching files failed: {why}"),
            Event::InputClosed => return Ok(Step::Quit),
            Event::Key(key) => return self.key(key),
        }
        Ok(Step::Acted)
    }

    fn key(&mut self, key: u8) -> Result<Step> {
        match key.to_ascii_lowercase() {
            b'q' | input::CTRL_C | input::CTRL_D => return Ok(Step::Quit),
            b'c' => self.check(),
            b'n' => match self.ctx.catalog.after(self.ex.slug()) {
                Some(next) => self.switch_to(next)?,
                None => println!("{} is the last exercise", self.ex.slug()),
            },
            b'h' => print!("{}", hint::reveal(self.ctx, self.ex, false, true)?),
            b's' => match solution::show(self.ctx, self.ex, false) {
                Ok(text) => print!("{text}"),
                Err(e) => println!("{e:#}"),
            },
            b'l' => self.list()?,
            b'r' => self.reset()?,
            other => println!(
                "key `{}` does nothing here; keys: {KEYS}",
                (other as char).escape_default()
            ),
        }
        Ok(Step::Acted)
    }

    fn list(&mut self) -> Result<()> {
        let state = State::load(&self.ctx.repo);
        print!("{}", list::table(self.ctx, &state));
        println!("type an exercise's number and Enter to switch to it, or just Enter to stay");
        let mut typed = String::new();
        loop {
            match self.next_key() {
                Some(k) if k.is_ascii_digit() => {
                    typed.push(k as char);
                    print!("{}", k as char);
                    use std::io::Write;
                    let _ = std::io::stdout().flush();
                }
                Some(b'\r' | b'\n') | None => break,
                Some(_) => {
                    typed.clear();
                    break;
                }
            }
        }
        println!();
        if typed.is_empty() {
            return Ok(());
        }
        match self.ctx.catalog.resolve(&typed) {
            Ok(ex) => self.switch_to(ex)?,
            Err(e) => println!("{e:#}"),
        }
        Ok(())
    }

    fn reset(&mut self) -> Result<()> {
        println!(
            "reset {} to the broken starting point? Your file is backed up first. [y/N]",
            self.ctx.repo.shown(&self.ex.learner_file())
        );
        let yes = loop {
            match self.next_key() {
                Some(b'\r' | b'\n' | b' ') => continue,
                Some(k) => break k.eq_ignore_ascii_case(&b'y'),
                None => break false,
            }
        };
        if yes {
            // The restored file is a save like any other: the watcher re-checks it.
            println!("{}", reset::reset(self.ctx, self.ex)?);
        } else {
            println!("not reset");
        }
        Ok(())
    }
}
