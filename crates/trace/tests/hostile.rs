//! Untrusted traces get a clear refusal: oversized documents are refused before any parsing
//! (memory stays bounded), deeply nested ones are refused by depth (no stack overflow), and
//! references out of range are caught before a reader indexes with them.

use racebook_trace::{Limits, ScheduleTree, Trace, TraceError};

#[test]
fn an_oversized_trace_is_refused_before_it_is_parsed() {
    let limits = Limits {
        max_bytes: 1024,
        ..Limits::default()
    };
    let big = format!(
        "{{\"format\":\"racebook-trace\",\"version\":1,\"pad\":\"{}\"}}",
        "x".repeat(4096)
    );
    match Trace::from_json_with(&big, &limits) {
        Err(TraceError::TooLarge { bytes, limit }) => assert_eq!((bytes, limit), (big.len(), 1024)),
        other => panic!("expected a size refusal, got {other:?}"),
    }
    let err = Trace::from_json_with(&big, &limits)
        .unwrap_err()
        .to_string();
    assert!(err.contains("more than the 1024 bytes"), "{err}");
}

#[test]
fn a_deeply_nested_document_is_refused_without_overflowing_the_stack() {
    for depth in [200, 10_000, 1_000_000] {
        let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let err = Trace::from_json(&nested).unwrap_err();
        assert!(matches!(err, TraceError::Json(_)), "depth {depth}: {err:?}");
        let inside = format!("{{\"format\":\"racebook-trace\",\"version\":1,\"steps\":{nested}}}");
        assert!(
            Trace::from_json(&inside).is_err(),
            "depth {depth} inside a trace"
        );
        assert!(ScheduleTree::from_json(&nested).is_err());
    }
}

#[test]
fn wrong_versions_foreign_documents_and_bad_references_are_named() {
    let v2 = r#"{"format":"racebook-trace","version":2}"#;
    assert!(matches!(
        Trace::from_json(v2),
        Err(TraceError::WrongVersion {
            found: 2,
            supported: 1
        })
    ));
    let foreign = r#"{"name":"package.json"}"#;
    assert!(matches!(
        Trace::from_json(foreign),
        Err(TraceError::NotATrace { .. })
    ));
    assert!(matches!(Trace::from_json("  "), Err(TraceError::Empty)));
    let truncated = r#"{"format":"racebook-trace","version":1,"exercise":"01"#;
    assert!(matches!(
        Trace::from_json(truncated),
        Err(TraceError::Json(_))
    ));
    let bad_thread = r#"{"format":"racebook-trace","version":1,"exercise":"x","variant":"y",
        "schedule":{"engine":"shuttle","encoded":"S1:0","preemptions":0},
        "threads":[{"id":0,"name":"main"}],"objects":[],
        "steps":[{"index":0,"thread":7,"op":"start","at":{"file":"a.rs","line":1,"column":1}}]}"#;
    let err = Trace::from_json(bad_thread).unwrap_err();
    assert!(matches!(err, TraceError::BadReference(_)), "{err:?}");
    assert!(err.to_string().contains("thread 7"), "{err}");
}
