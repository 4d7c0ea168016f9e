//! The `racebook` binary driven on a copy of the repository (see `support`): the list, a red
//! check, a green one after applying a reference fix, a file that does not compile, reset with
//! its backup, hints, the state file surviving corruption, the report formats, and errors.

use crate::support::Fixture;

const EX: &str = "01-counter-map";

#[test]
fn no_arguments_list_the_exercises_and_say_what_to_type() {
    let f = Fixture::new();
    let r = f.run(&[]);
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        r.stdout.contains("> 01-counter-map       not started"),
        "{}",
        r.both()
    );
    for ex in &f.exercises {
        assert!(r.stdout.contains(ex.as_str()), "{ex}: {}", r.both());
    }
    let total = format!("0 of {} green", f.exercises.len());
    assert!(r.stdout.contains(&total), "{}", r.both());
    assert!(
        r.stdout.contains("Start: racebook watch 01"),
        "{}",
        r.both()
    );
}

#[test]
fn check_is_red_then_green_after_a_fix_and_then_the_solution_shows() {
    let f = Fixture::new();
    let red = f.run(&["check", "01"]);
    assert_eq!(red.code, 1, "{}", red.both());
    // The harness's own report, straight from the test, then the command's verdict.
    assert!(
        red.stderr
            .contains("✗ 01-counter-map · exercise.rs · invariant broken"),
        "{}",
        red.both()
    );
    assert!(
        red.stdout.contains(
            "✗ 01-counter-map is red: invariant broken: “every item is counted exactly once”"
        ),
        "{}",
        red.both()
    );
    assert_eq!(f.state()["exercises"][EX]["status"], "red");
    assert!(f.results(EX).join("exercise.trace.json").is_file());

    // The report's replay command works as printed, typed where the learner ran the check.
    let replay = red
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix("replay  "))
        .unwrap_or_else(|| panic!("no replay line\n{}", red.both()));
    assert!(
        replay.starts_with("RACEBOOK_REPLAY=")
            && replay.contains("racebook/01-counter-map/exercise.schedule.json ")
            && replay.ends_with("cargo test -q -p ex01-counter-map --test exercise"),
        "{replay}"
    );
    let replayed = f.shell(replay);
    assert_ne!(replayed.code, 0, "{}", replayed.both());
    assert!(
        replayed
            .stderr
            .contains("✗ 01-counter-map · exercise.rs · invariant broken"),
        "{}",
        replayed.both()
    );
    assert!(
        replayed
            .stdout
            .contains("replayed ../target/racebook/01-counter-map/exercise.schedule.json"),
        "{}",
        replayed.both()
    );

    let refused = f.run(&["solution", "01"]);
    assert_eq!(refused.code, 1);
    assert!(
        refused.stderr.contains("not green yet"),
        "{}",
        refused.both()
    );

    f.apply_fix(EX, "fixed_lock.rs");
    let green = f.run(&["check"]);
    assert_eq!(green.code, 0, "{}", green.both());
    assert!(
        green.stdout.contains("✓ 01-counter-map is green: shuttle"),
        "{}",
        green.both()
    );
    assert!(green.stdout.contains("exhaustive"), "{}", green.both());
    // The red check's schedule, replayed on the fix: gone, in green words, and no failure.
    let gone = f.shell(replay);
    assert_eq!(gone.code, 0, "{}", gone.both());
    assert!(
        gone.stderr
            .contains("✓ 01-counter-map · exercise.rs · the stored failure is gone"),
        "{}",
        gone.both()
    );
    let next = match f.second() {
        Some(second) => format!("next exercise: {second}"),
        None => "that was the last exercise".to_string(),
    };
    assert!(green.stdout.contains(&next), "{}", green.both());
    let state = f.state();
    assert_eq!(state["exercises"][EX]["status"], "green");
    assert_eq!(state["exercises"][EX]["checks"], 2);

    let solution = f.run(&["solution", "01"]);
    assert_eq!(solution.code, 0, "{}", solution.both());
    assert!(
        solution.stdout.contains("reference fix 1 of 2"),
        "{}",
        solution.both()
    );
    assert!(solution.stdout.contains("fn count"), "{}", solution.both());
    assert!(!solution.stdout.contains("ANCHOR"), "{}", solution.both());

    let list = f.run(&["list"]);
    assert!(
        list.stdout.contains("01-counter-map       green"),
        "{}",
        list.both()
    );
    assert!(
        list.stdout.contains("schedules explored"),
        "{}",
        list.both()
    );
}

#[test]
fn a_learners_file_that_does_not_compile_shows_cargos_errors() {
    let f = Fixture::new();
    std::fs::write(f.ex_file(EX, "exercise.rs"), "pub fn count( {\n").unwrap();
    let r = f.run(&["check", "01"]);
    assert_eq!(r.code, 1, "{}", r.both());
    assert!(
        r.stderr.contains("error"),
        "cargo's errors as they are: {}",
        r.both()
    );
    assert!(
        r.stdout.contains("01-counter-map does not compile"),
        "{}",
        r.both()
    );
    assert_eq!(f.state()["exercises"][EX]["status"], "does-not-compile");
}

#[test]
fn reset_keeps_a_backup_and_restores_the_start() {
    let f = Fixture::new();
    let mine = "// my attempt\n";
    std::fs::write(f.ex_file(EX, "exercise.rs"), mine).unwrap();
    let r = f.run(&["reset", "01"]);
    assert_eq!(r.code, 0, "{}", r.both());
    let backups: Vec<_> = std::fs::read_dir(f.root.join(".racebook/backups").join(EX))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(backups.len(), 1);
    let name = backups[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(name.ends_with("-exercise.rs"), "{name}");
    assert!(
        r.stdout.contains(&format!(".racebook/backups/{EX}/{name}")),
        "{}",
        r.both()
    );
    assert_eq!(std::fs::read_to_string(&backups[0]).unwrap(), mine);
    assert_eq!(
        std::fs::read(f.ex_file(EX, "exercise.rs")).unwrap(),
        std::fs::read(f.ex_file(EX, "broken.rs")).unwrap()
    );
    let again = f.run(&["reset", "01"]);
    assert!(
        again.stdout.contains("already the starting point"),
        "{}",
        again.both()
    );

    let missing = f.run(&["reset"]);
    assert_eq!(
        missing.code,
        2,
        "reset needs an exercise or --all: {}",
        missing.both()
    );
}

#[test]
fn a_reset_whose_backup_cannot_be_written_changes_nothing() {
    let f = Fixture::new();
    let mine = "// my attempt, not backed up anywhere else\n";
    std::fs::write(f.ex_file(EX, "exercise.rs"), mine).unwrap();
    // The backup folder's place is taken by a file: the backup cannot be made.
    let backups = f.root.join(".racebook/backups");
    std::fs::create_dir_all(&backups).unwrap();
    std::fs::write(backups.join(EX), "in the way").unwrap();
    let r = f.run(&["reset", "01"]);
    assert_ne!(r.code, 0, "{}", r.both());
    assert!(r.stderr.contains("cannot create"), "{}", r.both());
    assert!(!r.both().contains("panicked"), "{}", r.both());
    assert_eq!(
        std::fs::read_to_string(f.ex_file(EX, "exercise.rs")).unwrap(),
        mine,
        "the learner's file must stay as it was when its backup fails"
    );
}

#[test]
fn hints_are_revealed_one_level_at_a_time_and_remembered() {
    let f = Fixture::new();
    for level in 1..=3 {
        let r = f.run(&["hint", "01"]);
        assert_eq!(r.code, 0, "{}", r.both());
        assert!(
            r.stdout.contains(&format!("Hint {level} ({level} of 3)")),
            "{}",
            r.both()
        );
        assert!(!r.stdout.contains("ANCHOR"), "{}", r.both());
    }
    let done = f.run(&["hint", "01"]);
    assert!(done.stdout.contains("all 3 hints"), "{}", done.both());
    assert_eq!(f.state()["exercises"][EX]["hints_shown"], 3);
    let again = f.run(&["hint", "01", "--again"]);
    assert!(again.stdout.contains("Hint 3 (3 of 3)"), "{}", again.both());
}

#[test]
fn a_corrupt_or_foreign_state_file_is_set_aside_and_progress_goes_on() {
    let f = Fixture::new();
    let dir = f.root.join(".racebook");
    for bad in [
        "{\"format\": \"racebook-state\", \"vers",
        r#"{"format":"racebook-state","version":99}"#,
    ] {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("state.json"), bad).unwrap();
        let r = f.run(&["hint", "01"]);
        assert_eq!(r.code, 0, "{}", r.both());
        assert!(r.stderr.contains("was set aside as"), "{}", r.both());
        assert!(!r.stderr.contains("panicked"), "{}", r.both());
        let aside: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().contains("state.json.unreadable-"))
            .collect();
        assert!(
            aside
                .iter()
                .any(|p| std::fs::read_to_string(p).unwrap() == bad),
            "{aside:?}"
        );
        assert_eq!(f.state()["exercises"][EX]["hints_shown"], 1);
    }
}

#[test]
fn errors_are_one_line_with_the_next_step() {
    let f = Fixture::new();
    let unknown = f.run(&["check", "countermap"]);
    assert_eq!(unknown.code, 1);
    assert_eq!(
        unknown.stderr.trim(),
        "error: no exercise `countermap`; did you mean `01-counter-map`? (`racebook list` shows them all)"
    );
    let outside = f
        .cmd(&["list"])
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&outside.stderr);
    assert_eq!(outside.status.code(), Some(1));
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: not inside a racebook checkout"),
        "{stderr}"
    );
    let no_trace = f.run(&["viz", "01", "--no-browser", "--no-serve"]);
    assert_eq!(no_trace.code, 1);
    assert!(
        no_trace.stderr.contains("no trace of 01-counter-map yet"),
        "{}",
        no_trace.both()
    );
}

#[test]
fn every_subcommand_has_help() {
    let f = Fixture::new();
    for sub in [
        "list", "check", "watch", "hint", "reset", "solution", "viz", "stress", "verify", "warm",
        "report",
    ] {
        let r = f.run(&[sub, "--help"]);
        assert_eq!(r.code, 0, "{sub}: {}", r.both());
        assert!(r.stdout.contains("Usage: racebook"), "{sub}: {}", r.both());
    }
}
