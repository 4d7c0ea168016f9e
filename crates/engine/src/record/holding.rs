//! Who holds which lock and who waits for what, as the recorded run goes: what a report says
//! about a thread that is stuck.

use super::*;

/// Threads waiting right now, with what they wait for and who holds it.
pub fn waiting_now() -> Vec<(ThreadId, String)> {
    RECORDER.with(|r| {
        let Some(rec) = r.borrow().as_ref().map(|rec| {
            let owner = |o: ObjectId| {
                rec.held
                    .iter()
                    .find(|(_, locks)| locks.contains(&o))
                    .map(|(t, _)| *t)
            };
            rec.waiting
                .iter()
                .map(|(&t, (o, _))| {
                    let name = rec
                        .rec
                        .objects
                        .get(*o as usize)
                        .map_or("?", |x| x.name.as_str())
                        .to_string();
                    let holder = owner(*o)
                        .and_then(|h| rec.rec.threads.get(h as usize))
                        .map(|h| format!(", held by {}", h.name))
                        .unwrap_or_default();
                    (t, format!("waits for {name}{holder}"))
                })
                .collect::<Vec<_>>()
        }) else {
            return Vec::new();
        };
        rec
    })
}

/// The current thread now holds lock `object`.
pub fn acquired(object: Option<ObjectId>) {
    if let Some(o) = object {
        with(|r| {
            let t = r.current();
            r.waiting.remove(&t);
            r.held.entry(t).or_default().push(o);
        });
    }
}

/// Lock `object` was handed to `thread` by the current thread's release: `thread` holds it
/// from now on, whether or not it ever runs again.
pub fn hand_to(object: Option<ObjectId>, thread: Option<ThreadId>) {
    if let (Some(o), Some(t)) = (object, thread) {
        with(|r| {
            r.waiting.remove(&t);
            r.held.entry(t).or_default().push(o);
        });
    }
}

/// The current thread released lock `object`.
pub fn released(object: Option<ObjectId>) {
    if let Some(o) = object {
        with(|r| {
            let t = r.current();
            if let Some(v) = r.held.get_mut(&t) {
                if let Some(pos) = v.iter().rposition(|&x| x == o) {
                    v.remove(pos);
                }
            }
        });
    }
}

/// The current thread is about to block on `object`.
pub fn waiting_for(object: Option<ObjectId>, at: &'static Location<'static>) {
    if let Some(o) = object {
        with(|r| {
            let t = r.current();
            let loc = r.sources.loc(at);
            r.waiting.insert(t, (o, loc));
        });
    }
}

/// The current thread stopped waiting.
pub fn done_waiting() {
    with(|r| {
        let t = r.current();
        r.waiting.remove(&t);
    });
}
