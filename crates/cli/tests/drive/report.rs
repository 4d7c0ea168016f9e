//! Class grading: one learner's report as JSON and as JUnit XML (which must parse), and the
//! class summary merged from two learners' JSON reports.

use crate::support::Fixture;
use quick_xml::Reader;
use quick_xml::events::Event;

/// The JUnit document's elements with their attributes, in order.
fn elements(xml: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event().expect("the JUnit XML parses") {
            Event::Start(e) | Event::Empty(e) => {
                let attrs = e
                    .attributes()
                    .map(|a| {
                        let a = a.unwrap();
                        let value = a
                            .normalized_value(quick_xml::XmlVersion::Explicit1_0)
                            .unwrap()
                            .into_owned();
                        (String::from_utf8(a.key.as_ref().to_vec()).unwrap(), value)
                    })
                    .collect();
                out.push((
                    String::from_utf8(e.name().as_ref().to_vec()).unwrap(),
                    attrs,
                ));
            }
            Event::Eof => return out,
            _ => {}
        }
    }
}

fn attr<'a>(el: &'a (String, Vec<(String, String)>), name: &str) -> &'a str {
    el.1.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

#[test]
fn reports_validate_and_a_class_summary_merges_them() {
    let f = Fixture::new();
    // Learner "ana": 01 red after one hint. Learner "bo": 01 green after three hints.
    assert_eq!(f.run(&["hint", "01"]).code, 0);
    assert_eq!(f.run(&["check", "01"]).code, 1);
    let dir = f.root.join(".racebook/class");
    let ana = f.run(&[
        "report",
        "--format",
        "json",
        "--learner",
        "ana",
        "--out",
        ".racebook/class/ana.json",
    ]);
    assert_eq!(ana.code, 0, "{}", ana.both());

    let junit = f.run(&["report", "--format", "junit", "--learner", "ana"]);
    assert_eq!(junit.code, 0, "{}", junit.both());
    let els = elements(&junit.stdout);
    assert_eq!(els[0].0, "testsuites");
    let n = f.exercises.len();
    assert_eq!(attr(&els[0], "tests"), n.to_string());
    assert_eq!(attr(&els[0], "failures"), "1");
    assert_eq!(attr(&els[0], "skipped"), (n - 1).to_string());
    let cases: Vec<_> = els.iter().filter(|e| e.0 == "testcase").collect();
    assert_eq!(cases.len(), n);
    assert!(attr(cases[0], "name").starts_with("01-counter-map"));
    let failure = els
        .iter()
        .find(|e| e.0 == "failure")
        .expect("a failure element");
    assert_eq!(
        attr(failure, "message"),
        "invariant broken: every item is counted exactly once"
    );
    let skipped = els.iter().filter(|e| e.0 == "skipped").count();
    assert_eq!(skipped, n - 1, "the exercises after 01 are not started");

    f.apply_fix("01-counter-map", "fixed_lock.rs");
    assert_eq!(f.run(&["check", "01"]).code, 0);
    std::fs::write(dir.join("notes.json"), "{\"not\": \"a report\"}").unwrap();
    let bo = f.run(&[
        "report",
        "--learner",
        "bo",
        "--out",
        ".racebook/class/bo.json",
    ]);
    assert_eq!(bo.code, 0, "{}", bo.both());
    // Both reports come from this one progress file; bo asked for more hints.
    let bo_file = dir.join("bo.json");
    let mut bo: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&bo_file).unwrap()).unwrap();
    assert_eq!(bo["exercises"][0]["status"], "green");
    bo["exercises"][0]["hints_used"] = 3.into();
    std::fs::write(&bo_file, bo.to_string()).unwrap();

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("ana.json")).unwrap()).unwrap();
    let one = &json["exercises"][0];
    assert_eq!(one["exercise"], "01-counter-map");
    assert_eq!(one["status"], "red");
    assert_eq!(one["hints_used"], 1);
    assert!(one["schedules_explored"].as_u64().unwrap() > 0);
    assert_eq!(one["engines"][0]["engine"], "shuttle");

    // The summary needs no checkout: run it from elsewhere.
    let merged = f
        .cmd(&["report", "--merge", dir.to_str().unwrap()])
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&merged.stdout);
    assert!(merged.status.success(), "{text}");
    assert!(text.contains("class summary: 2 learners"), "{text}");
    assert!(
        text.contains("stops most people: 01-counter-map (1 of 2 learners stopped there)"),
        "{text}"
    );
    assert!(
        text.contains(
            "most common failing invariant: “every item is counted exactly once” (1 of 2 learners)"
        ),
        "{text}"
    );
    assert!(text.contains("skipped notes.json"), "{text}");

    let as_json = f.run(&["report", "--merge", ".racebook/class", "--format", "json"]);
    let summary: serde_json::Value = serde_json::from_str(&as_json.stdout).unwrap();
    assert_eq!(summary["learners"], 2);
    assert_eq!(summary["exercises"][0]["green"], 1);
    assert_eq!(summary["exercises"][0]["median_hints"], 2.0);
}
