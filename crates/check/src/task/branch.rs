//! Which `select!` branch a future is polled in, and which branch each `select!` chose: so that
//! a lock taken by a future polled by reference in a `select!` can be named in a report (the
//! branch it was polled in, and the branch that won instead). Under shuttle only; every model
//! task runs on the one OS thread that runs the execution, so this is a thread-local, cleared
//! with each execution.

use crate::blocking::Tid;
use std::cell::RefCell;
use std::collections::HashMap;
use std::panic::Location;

/// A `select!` branch a future was polled in.
#[derive(Debug, Clone, Copy)]
pub struct Branch {
    pub select_at: &'static Location<'static>,
    pub index: usize,
    /// The branch's future expression, as written.
    pub text: &'static str,
}

/// A `select!` by its task and place.
type SelectKey = (Tid, &'static Location<'static>);

thread_local! {
    static STACK: RefCell<Vec<Branch>> = const { RefCell::new(Vec::new()) };
    /// What each task's `select!` at a place chose last: the winning branch's index and text.
    static CHOSEN: RefCell<HashMap<SelectKey, (usize, &'static str)>> = RefCell::new(HashMap::new());
}

/// A new execution: no select has chosen anything.
pub(crate) fn reset() {
    STACK.with(|b| b.borrow_mut().clear());
    CHOSEN.with(|c| c.borrow_mut().clear());
}

/// Run `f` (a poll of a `select!` branch) inside `branch`.
pub(crate) fn in_branch<R>(branch: Branch, f: impl FnOnce() -> R) -> R {
    struct Pop;
    impl Drop for Pop {
        fn drop(&mut self) {
            STACK.with(|b| b.borrow_mut().pop());
        }
    }
    STACK.with(|b| b.borrow_mut().push(branch));
    let _pop = Pop;
    f()
}

/// The innermost `select!` branch being polled, if any.
pub(crate) fn current() -> Option<Branch> {
    STACK.with(|b| b.borrow().last().copied())
}

/// The innermost branch being polled, as the facade's waits key it.
pub(crate) fn key() -> Option<(usize, usize)> {
    current().map(|b| (b.select_at as *const _ as usize, b.index))
}

/// The current task's `select!` at `at` chose branch `index`, written `text`.
pub(crate) fn chose(at: &'static Location<'static>, index: usize, text: &'static str) {
    if let Some(t) = crate::blocking::me() {
        CHOSEN.with(|c| c.borrow_mut().insert((t, at), (index, text)));
        crate::blocking::left_behind(t, at as *const _ as usize, index);
    }
}

/// The branch task `t`'s `select!` at `at` chose last, if one won.
pub(crate) fn chosen(t: Tid, at: &'static Location<'static>) -> Option<(usize, &'static str)> {
    CHOSEN.with(|c| c.borrow().get(&(t, at)).copied())
}

/// `file.rs:12`, as the report's table shows places.
pub(crate) fn place(at: &Location<'_>) -> String {
    let file = at.file().rsplit(['/', '\\']).next().unwrap_or(at.file());
    format!("{file}:{}", at.line())
}

fn short(text: &str) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    racebook_trace::text::shorten(&one_line, 40)
}

/// Where a future was polled, for a clause about it: "`&mut future1`, a branch of the select!
/// at broken.rs:30, which chose `sleep(…)` instead", and whether that select chose another
/// branch (so it polls that future no more).
pub(crate) fn clause(owner: Tid, b: Branch) -> (String, bool) {
    let mut s = format!(
        "`{}`, a branch of the select! at {}",
        short(b.text),
        place(b.select_at)
    );
    let left = match chosen(owner, b.select_at) {
        Some((index, text)) if index != b.index => {
            s.push_str(&format!(", which chose `{}` instead", short(text)));
            true
        }
        _ => false,
    };
    (s, left)
}
