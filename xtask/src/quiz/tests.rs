//! The questions' answers come from the export, so they change when the code does; malformed
//! questions are errors naming the file and line; the markup is real form controls.

use super::facts::{Fact, Facts};
use super::spec::{self, Answer};
use super::*;
use serde_json::Value;

fn demo_dir() -> PathBuf {
    crate::paths::root().join("web/fixtures/racebook/demo")
}

fn read(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(demo_dir().join(name)).unwrap()).unwrap()
}

const QUESTIONS: &str = r#"
[[question]]
id = "failing"
kind = "number"
prompt = "Of the {broken.schedules} schedules, how many break it?"
fact = "broken.failing"
explanation = "{broken.failing} of them."

[[question]]
id = "conflict"
kind = "step"
prompt = "Select the two steps that conflict."
fact = "broken.conflict_steps"
explanation = "Those are {broken.conflict_steps}."

[[question]]
id = "engine"
kind = "choice"
prompt = "Which checker finds it?"
options = [{ text = "shuttle", value = "shuttle" }, { text = "loom", value = "loom" }]
fact = "broken.engine"
explanation = "Found by {broken.engine}."
"#;

fn answers(facts: &Facts) -> Vec<Answer> {
    spec::parse("q.toml", QUESTIONS, facts)
        .unwrap()
        .into_iter()
        .map(|q| q.answer)
        .collect()
}

#[test]
fn answers_are_computed_from_the_export() {
    let facts = Facts::load(&demo_dir()).unwrap();
    let broken = read("broken.trace.json");
    let first = broken["conflict"]["first"].as_u64().unwrap() + 1;
    let second = broken["conflict"]["second"].as_u64().unwrap() + 1;
    assert_eq!(
        answers(&facts),
        vec![
            Answer::Number(read("broken.tree.json")["failing"].as_u64().unwrap()),
            Answer::Steps("broken".into(), vec![first, second]),
            Answer::Choice(vec!["shuttle".into(), "loom".into()], 0),
        ]
    );
    let q = &spec::parse("q.toml", QUESTIONS, &facts).unwrap()[0];
    assert_eq!(q.prompt, "Of the 10 schedules, how many break it?");
    assert_eq!(q.line, 2);
}

/// The same questions asked of other code: the fixed version's search (a fix in place of the
/// bug) and a trace whose conflict sits elsewhere and that another checker found.
#[test]
fn the_answers_change_when_the_code_changes() {
    let before = answers(&Facts::load(&demo_dir()).unwrap());

    let mut fixed = Facts::load(&demo_dir()).unwrap();
    fixed.add_tree("broken", &read("fixed_lock.tree.json"));
    let after_fix = answers(&fixed);
    assert_ne!(before[0], after_fix[0], "the fix breaks no schedule");
    assert_eq!(after_fix[0], Answer::Number(0));

    let mut moved = Facts::load(&demo_dir()).unwrap();
    let mut trace = read("broken.trace.json");
    trace["conflict"]["first"] = Value::from(1);
    trace["schedule"]["engine"] = Value::from("loom");
    moved.add_trace("broken", trace);
    let after_move = answers(&moved);
    assert_ne!(before[1], after_move[1]);
    assert_ne!(before[2], after_move[2]);
    assert_eq!(
        after_move[2],
        Answer::Choice(vec!["shuttle".into(), "loom".into()], 1)
    );
}

#[test]
fn malformed_questions_name_the_file_and_line() {
    let facts = Facts::load(&demo_dir()).unwrap();
    let err = |text: &str| spec::parse("src/questions/x.toml", text, &facts).unwrap_err();
    let base = "[[question]]\nid = \"a\"\nprompt = \"p\"\nexplanation = \"e\"\n";
    let e = err(&format!(
        "\n\n{base}kind = \"number\"\nfact = \"broken.nothing\"\n"
    ));
    assert!(
        e.starts_with("src/questions/x.toml:3: question `a`:"),
        "{e}"
    );
    assert!(e.contains("is not a fact"), "{e}");
    let e = err(&format!(
        "{base}kind = \"number\"\nfact = \"fixed_lock.conflict_steps\"\n"
    ));
    assert!(
        e.contains("fixed_lock") && e.contains("has no conflict_steps"),
        "{e}"
    );
    let e = err(&format!(
        "{base}kind = \"choice\"\noptions = [\"x\", \"y\"]\ncorrect = 3\n"
    ));
    assert!(e.contains("option's number, 1 to 2"), "{e}");
    let e = err(&format!(
        "{base}kind = \"choice\"\nfact = \"broken.engine\"\noptions = [{{ text = \"x\", value = \"loom\" }}, \"y\"]\n"
    ));
    assert!(e.contains("is \"shuttle\", and 0 option(s)"), "{e}");
    let e = err(&format!("{base}kind = \"essay\"\n"));
    assert!(e.contains("is not one of"), "{e}");
    let e = err("[[question]]\nid = \"a\"\nkind = \"number\"\nprompt = \"unterminated\n");
    assert!(e.starts_with("src/questions/x.toml:4:"), "{e}");
    let e = err(&format!(
        "{base}kind = \"number\"\nfact = \"broken.failing\"\nhint = \"h\"\n"
    ));
    assert!(e.contains("unknown field `hint`"), "{e}");
    let e = err(&format!(
        "{base}kind = \"number\"\nfact = \"broken.failing\"\n{base}kind = \"number\"\nfact = \"broken.failing\"\n"
    ));
    assert!(
        e.starts_with("src/questions/x.toml:7:") && e.contains("second question"),
        "{e}"
    );
}

#[test]
fn a_question_is_a_form_with_a_legend_a_live_region_and_no_blank_line() {
    let facts = Facts::load(&demo_dir()).unwrap();
    let qs = spec::parse("q.toml", QUESTIONS, &facts).unwrap();
    let html = render::question("demo", &qs[1], 2, facts.traces.get("broken"));
    assert!(html.starts_with("<form class=\"rbq\" data-id=\"demo/conflict\" data-kind=\"step\""));
    assert!(html.contains("<legend id=\"rbq-demo-conflict-legend\"><span class=\"rbq-tag\">Predict 2</span> Select the two steps that conflict. (select 2 steps)</legend>"));
    assert!(html.contains("role=\"status\" aria-live=\"polite\""));
    let rows = html.matches("<input type=\"checkbox\"").count();
    assert_eq!(
        rows,
        read("broken.trace.json")["steps"].as_array().unwrap().len()
    );
    assert!(!html.lines().any(|l| l.trim().is_empty()));
    let number = render::question("demo", &qs[0], 1, None);
    assert!(
        number.contains("<label for=\"rbq-demo-failing-in\">")
            && number.contains("id=\"rbq-demo-failing-in\"")
    );
    assert_eq!(
        render::inline("a `<b>` **c** *d*"),
        "a <code>&lt;b&gt;</code> <strong>c</strong> <em>d</em>"
    );
    assert_eq!(Fact::Steps(vec![4, 11]).shown(), "steps 4 and 11");
}

#[test]
fn directives_are_checked_where_they_are_written() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(DIR)).unwrap();
    std::fs::write(dir.path().join(DIR).join("demo.toml"), QUESTIONS).unwrap();
    let quiz = Quiz::new(dir.path(), vec![demo_dir().parent().unwrap().to_path_buf()]);
    let page = "Text.\n\n{{#question demo failing}}\n\nMore.\n\n{{#question demo nope}}\n";
    let mut cache = BTreeMap::new();
    let mut asked = BTreeMap::new();
    let e = quiz
        .expand("src/c.md", page, page, &mut cache, &mut asked)
        .unwrap_err();
    assert!(
        e.starts_with(
            "src/c.md:7: `{{#question demo nope}}`: src/questions/demo.toml has no question nope"
        ),
        "{e}"
    );
    let ok = "{{#question demo failing}}\n\\{{#question demo engine}}\n";
    let (out, n) = quiz
        .expand("src/d.md", ok, ok, &mut cache, &mut BTreeMap::new())
        .unwrap();
    assert_eq!(n, 1);
    assert!(
        out.starts_with("<form class=\"rbq\"") && out.ends_with("\n{{#question demo engine}}\n")
    );
    let e = quiz
        .expand(
            "src/e.md",
            "",
            "see {{#question demo failing}}",
            &mut cache,
            &mut BTreeMap::new(),
        )
        .unwrap_err();
    assert!(e.contains("alone on its line"), "{e}");
}

/// The instructor guide's table of questions per chapter says what the chapters ask.
#[test]
fn the_instructor_guide_counts_the_questions_each_chapter_asks() {
    let root = crate::paths::root();
    let guide = std::fs::read_to_string(root.join("src/appendix/instructor-guide.md")).unwrap();
    let table = guide
        .split("## The checks of understanding")
        .nth(1)
        .expect("the guide has its questions section");
    let mut rows = 0;
    for chapter in std::fs::read_dir(root.join("src/chapters")).unwrap() {
        let path = chapter.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let asked = DIRECTIVE
            .captures_iter(&text)
            .filter(|c| c.get(1).is_none())
            .count();
        if asked == 0 {
            continue;
        }
        let number: u32 = path.file_name().unwrap().to_str().unwrap()[..2]
            .parse()
            .unwrap();
        let row = table
            .lines()
            .find(|l| l.starts_with(&format!("| {number} ")))
            .unwrap_or_else(|| panic!("no row for chapter {number} in the guide"));
        let said: usize = row.split('|').nth(2).unwrap().trim().parse().unwrap();
        assert_eq!(
            said, asked,
            "chapter {number}: the guide says {said}, the chapter asks {asked}"
        );
        rows += 1;
    }
    assert!(rows >= 11, "{rows} chapters ask questions");
}
