//! `racebook report --merge` on readers' exported answers (files in the format the book's
//! "Export my answers" button writes): the most-missed questions per chapter, and a clear error
//! naming a malformed file. It needs no checkout, so it runs the binary directly.

use std::path::PathBuf;
use std::process::Output;

fn samples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/answers")
}

fn merge(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_racebook"))
        .args(["report", "--merge"])
        .args(args)
        .current_dir(samples())
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn merged_answers_list_the_most_missed_questions_per_chapter() {
    let out = merge(&["ana.json", "bo.json", "cy.json"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.starts_with("questions: answers of 3 reader(s)"),
        "{text}"
    );
    // Chapter 1: the schedule count was missed first by all three, and two still have it wrong
    // (both answered 5); the step question was missed by one; preemptions by one, then fixed.
    let ch1 = text.split("\n01-counter-map\n").nth(1).unwrap();
    let lines: Vec<&str> = ch1.lines().take(3).collect();
    assert!(lines[0].starts_with("  failing-schedules"), "{text}");
    assert!(
        lines[0].ends_with(
            "missed first by 3 of 3, still wrong for 2; most common wrong answer: 5 (2)"
        ),
        "{text}"
    );
    assert!(
        lines[1].starts_with("  conflicting-steps") && lines[1].contains("steps 4,12 (1)"),
        "{text}"
    );
    assert!(
        lines[2].starts_with("  preemptions")
            && lines[2].contains("missed first by 1 of 2, still wrong for 0"),
        "{text}"
    );
    assert!(text.contains("\n07-lost-wakeup\n  notify-all               missed first by 1 of 2, still wrong for 1; most common wrong answer: option 1 (1)"), "{text}");

    let json = merge(&["ana.json", "bo.json", "cy.json", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["questions"]["readers"], 3);
    assert_eq!(
        v["questions"]["chapters"][0]["questions"][0]["id"],
        "01-counter-map/failing-schedules"
    );
    assert_eq!(
        v["questions"]["chapters"][0]["questions"][0]["missed_first_try"],
        3
    );

    // A folder works too, and its malformed file is listed as skipped, not merged. It also holds
    // a file the book's export button wrote (saved from the browser tests).
    let dir = merge(&["."]);
    let text = String::from_utf8_lossy(&dir.stdout);
    assert!(dir.status.success(), "{text}");
    assert!(
        text.starts_with("questions: answers of 4 reader(s)"),
        "{text}"
    );
    assert!(text.contains("skipped truncated.json"), "{text}");
    assert!(
        text.contains("  fix-keeps-parallel       missed first by 1 of 1, still wrong for 1; most common wrong answer: option 3 (1)"),
        "{text}"
    );
    // Only the three most missed of a chapter are listed; the rest are counted.
    assert!(
        text.contains("  (1 more, missed less; --format json lists all)"),
        "{text}"
    );
    let json = merge(&[".", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let last = &v["questions"]["chapters"][0]["questions"][3];
    assert_eq!(last["id"], "01-counter-map/preemptions");
}

#[test]
fn a_malformed_file_is_a_clear_error_naming_it() {
    let out = merge(&["ana.json", "truncated.json"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("truncated.json is not a reader's exported answers: missing field `correct`"),
        "{err}"
    );
    let dir = tempfile_dir();
    let other = dir.join("notes.json");
    std::fs::write(&other, "{\"format\": \"something-else\"}").unwrap();
    let out = merge(&[other.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "notes.json is not a reader's exported answers: its \"format\" is \"something-else\""
        ),
        "{err}"
    );
    std::fs::write(&other, "{\"format\": \"racebook-answers\", \"version\": 1, \"answers\": [{\"id\": \"nochapter\", \"answer\": \"1\", \"correct\": true}]}").unwrap();
    let err = String::from_utf8_lossy(&merge(&[other.to_str().unwrap()]).stderr).into_owned();
    assert!(
        err.contains("answers[0]: id \"nochapter\" is not CHAPTER/QUESTION"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

fn tempfile_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("racebook-answers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
