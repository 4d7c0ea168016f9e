use super::*;
use crate::testing::demo_trace;

#[test]
fn once_a_deadlock_is_shown_its_threads_are_blocked_and_say_on_what() {
    let mut trace = demo_trace("broken");
    let stop = 4u32;
    trace.steps.truncate(stop as usize + 1);
    let lock = trace.steps[..=stop as usize]
        .iter()
        .find_map(|s| (s.op == Op::Lock).then_some(s.object).flatten())
        .expect("the demo takes a lock");
    let waiter = trace.steps[stop as usize].thread;
    let failure = trace.failure.as_mut().unwrap();
    failure.kind = racebook_trace::FailureKind::Deadlock;
    failure.step = Some(stop);
    failure.blocked = vec![racebook_trace::Blocked {
        thread: waiter,
        waiting_for: Some(lock),
        held_by: Some(waiter),
        at: None,
        since: None,
        for_thread: None,
    }];
    let p = Player::new(trace.clone());
    let name = trace.thread_name(waiter).to_string();
    let status = |position: usize| {
        let frame = p.frame(position, 0);
        let t = frame.threads.into_iter().find(|t| t.name == name).unwrap();
        (t.status, t.waits)
    };
    assert_ne!(
        status(stop as usize).0,
        "blocked",
        "not before the deadlock step"
    );
    let expected = format!("waits for {}, held by {name}", trace.object_name(lock));
    assert_eq!(status(stop as usize + 1), ("blocked", Some(expected)));
}

#[test]
fn a_lock_asked_for_again_by_its_holder_gets_its_own_label() {
    let mut trace = demo_trace("broken");
    let lock_step = trace
        .steps
        .iter()
        .find(|s| s.op == Op::Lock)
        .expect("the demo takes a lock")
        .index;
    let conflict = trace.conflict.as_mut().unwrap();
    // A trace written before claims: the label comes from the pair alone.
    conflict.claims.clear();
    conflict.kind = racebook_trace::ConflictKind::Order;
    conflict.first = lock_step;
    conflict.second = lock_step;
    let label = Player::new(trace).conflict_view().unwrap().label;
    assert_eq!(label, SELF_DEADLOCK_LABEL);
    let other = Player::new(demo_trace("broken"))
        .conflict_view()
        .unwrap()
        .label;
    assert_ne!(other, SELF_DEADLOCK_LABEL);
}

#[test]
fn stepping_through_the_lost_update_shows_values_owners_and_copies() {
    let p = Player::new(demo_trace("broken"));
    let f = p.frame(0, 0);
    assert!(f.current.is_none());
    assert_eq!(f.objects[0].value.as_deref(), Some("{}"));
    assert!(f.rows.iter().all(|r| r.when == "future"));

    // worker-0 locked counts (step 4).
    let f = p.frame(4, 0);
    let cur = f.current.as_ref().unwrap();
    assert_eq!(cur.thread, "worker-0");
    assert_eq!(cur.text, "lock counts = {}");
    assert_eq!(f.objects[0].holders, vec!["worker-0"]);
    assert!(f.objects[0].changed);
    assert_eq!(f.rows[3].when, "current");

    // worker-1 has written {"a": 1} while worker-0 still holds its stale read.
    let f = p.frame(10, 0);
    assert_eq!(f.objects[0].value.as_deref(), Some(r#"{"a": 1}"#));
    assert!(f.objects[0].holders.is_empty());
    assert_eq!(f.temporaries.len(), 1);
    assert_eq!(f.temporaries[0].thread, "worker-0");
    assert_eq!(f.temporaries[0].value, "{}");
    assert_eq!(f.temporaries[0].read_at, 4);
    assert!(!f.failure_shown);
    assert!(!f.conflict_shown);

    // worker-0's write-back completes the conflict.
    let f = p.frame(13, 0);
    assert!(f.conflict_shown);
    assert!(!f.failure_shown);
    let b = f.bracket.as_ref().unwrap();
    assert_eq!((b.top, b.bottom, b.kind), (3, 12, "stale_read"));
    assert_eq!(b.label, "two updates, one change");

    let f = p.frame(p.trace().steps.len(), 0);
    assert!(f.failure_shown);
    let last = f.rows.last().unwrap();
    assert_eq!(last.marks, vec!["failure"]);
    let failure = p.summary().failure.unwrap();
    assert_eq!(
        failure.title,
        "The invariant broke: every item is counted once"
    );
    assert_eq!(
        failure.details[0],
        r#"Expected {"a": 2}, but the run ended with {"a": 1}."#
    );
}

#[test]
fn arrows_appear_once_both_ends_have_run() {
    let p = Player::new(demo_trace("broken"));
    assert!(p.frame(6, 0).arrows.iter().all(|a| (a.to as usize) < 6));
    let f = p.frame(7, 0);
    assert!(f.arrows.iter().any(|a| a.from == 4 && a.to == 6));
    assert_eq!(
        f.arrows
            .iter()
            .find(|a| a.to == 6)
            .map(|a| (a.from_lane, a.to_lane)),
        Some((1, 2))
    );
}

#[test]
fn a_window_follows_the_current_step_and_clips_the_bracket() {
    let p = Player::new(demo_trace("broken"));
    assert_eq!(p.window(0, 6), (0, 6));
    assert_eq!(p.window(10, 6), (6, 12));
    assert_eq!(p.window(18, 6), (12, 18));
    let f = p.frame(10, 6);
    assert_eq!(f.rows.len(), 6);
    assert_eq!(f.rows[0].index, 6);
    let b = f.bracket.unwrap();
    assert!(b.cut_top && b.cut_bottom);
    assert_eq!(b.points, vec![9]);
    // Arrows with an end outside the window are left out.
    assert!(f.arrows.iter().all(|a| a.from >= 6 && a.to < 12));
}
