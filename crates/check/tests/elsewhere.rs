//! A crate elsewhere on disk that uses the harness by its absolute path: copied from
//! `fixtures/ledger` into a temporary folder, tested there with cargo, and held to the reports'
//! promises: the same results as anywhere, and every path and command in a report true for
//! that crate, from its folder and from outside it. The printed replay commands are run.
//!
//! It runs cargo, so it runs only when named (`cargo test -p racebook-check --test
//! elsewhere`, as `cargo xtask test` does). Its builds share the folder of the chapter's
//! example (`target/own-code`), so only the small crate itself is compiled.

use std::path::{Path, PathBuf};
use std::process::Command;

const TEST: &str = "tests::two_withdrawals_never_overdraw";
const VERDICT: &str = "the balance never goes below zero: expected 0 or more, observed -60";

fn harness() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// `<tmp>/racebook-elsewhere-<pid>/ledger`, ready to build, and its parent.
fn set_up() -> (PathBuf, PathBuf) {
    let outer = std::env::temp_dir().join(format!("racebook-elsewhere-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&outer);
    let krate = outer.join("ledger");
    copy_dir(&harness().join("tests/fixtures/ledger"), &krate);
    let template = std::fs::read_to_string(krate.join("Cargo.toml.template")).unwrap();
    let manifest = template.replace("@HARNESS@", &harness().display().to_string());
    std::fs::write(krate.join("Cargo.toml"), manifest).unwrap();
    let root = harness().join("../..").canonicalize().unwrap();
    // The example's lock file: the same dependency versions, so its build is reused.
    std::fs::copy(
        root.join("examples/own-code/Cargo.lock"),
        krate.join("Cargo.lock"),
    )
    .unwrap();
    // Above both folders the tests run cargo from: the shared build folder.
    std::fs::create_dir_all(outer.join(".cargo")).unwrap();
    let target = root.join("target/own-code");
    std::fs::write(
        outer.join(".cargo/config.toml"),
        format!("[build]\ntarget-dir = {:?}\n", target.display().to_string()),
    )
    .unwrap();
    (outer, krate)
}

/// A command started in `dir` as a shell there would start it.
fn in_dir(dir: &Path, program: &str, args: &[&str]) -> (bool, String) {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .env("PWD", dir)
        .env("NO_COLOR", "1")
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("RACEBOOK_REPLAY")
        .env_remove("RACEBOOK_SEED")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn line<'a>(output: &'a str, label: &str) -> &'a str {
    output
        .lines()
        .find_map(|l| l.strip_prefix(label))
        .unwrap_or_else(|| panic!("no `{label}` line in:\n{output}"))
        .trim()
}

/// The red report's header, naming the crate's file as the reader can type it.
fn header(lib_rs: &str) -> String {
    format!("✗ ledger · {lib_rs}:")
}

/// The red report has `header`, every path it names exists from `dir`, and it names nothing
/// of the workbook. Returns its replay line.
fn paths_are_true(dir: &Path, output: &str, header: &str) -> String {
    assert!(
        output.contains(header) && output.contains(VERDICT),
        "{output}"
    );
    for workbook in ["exercise", "racebook-workbook", "--example", "xtask"] {
        assert!(!output.contains(workbook), "names `{workbook}`:\n{output}");
    }
    let head = output.lines().find(|l| l.starts_with(header)).unwrap();
    let file = head
        .split(" · ")
        .nth(1)
        .unwrap()
        .rsplit_once(':')
        .unwrap()
        .0;
    let replay = line(output, "replay  ").to_string();
    let schedule = replay
        .strip_prefix("RACEBOOK_REPLAY=")
        .and_then(|r| r.split(' ').next())
        .unwrap();
    let trace = line(output, "trace   ");
    for path in [file, schedule, trace] {
        assert!(dir.join(path).is_file(), "{path} from {}", dir.display());
    }
    // The view line is a link into a served book, or a command that serves this trace.
    if let Some(view) = output.lines().find_map(|l| l.strip_prefix("view    ")) {
        let words: Vec<&str> = view.split_whitespace().collect();
        match words.as_slice() {
            [url] => assert!(url.starts_with("http://"), "{view}"),
            ["racebook", "view", file] => assert!(dir.join(file).is_file(), "{view}"),
            [
                "cargo",
                "run",
                "-q",
                "--manifest-path",
                cli,
                "--",
                "view",
                file,
            ] => {
                assert!(
                    dir.join(cli).is_file() && dir.join(file).is_file(),
                    "{view}"
                )
            }
            _ => panic!("unexpected view line: {view}"),
        }
    }
    replay
}

#[test]
fn a_crate_elsewhere_gets_true_reports_and_working_replays() {
    let (outer, krate) = set_up();

    // Red, from the crate's folder: short paths, the package, target and test by name.
    let (ok, red) = in_dir(&krate, "cargo", &["test", "--lib"]);
    assert!(!ok, "{red}");
    let replay = paths_are_true(&krate, &red, &header("src/lib.rs"));
    assert!(
        replay.starts_with("RACEBOOK_REPLAY=target/racebook/ledger/")
            && replay.ends_with(&format!("cargo test -p ledger --lib -- {TEST} --exact")),
        "{replay}"
    );
    let (ok, again) = in_dir(&krate, "sh", &["-c", &replay]);
    assert!(
        !ok && again.contains(&header("src/lib.rs")) && again.contains(VERDICT),
        "{again}"
    );

    // From outside the crate: absolute paths and the manifest named, so they work from there.
    let (ok, red) = in_dir(
        &outer,
        "cargo",
        &["test", "--manifest-path", "ledger/Cargo.toml", "--lib"],
    );
    assert!(!ok, "{red}");
    let lib_rs = krate.join("src/lib.rs").display().to_string();
    let from_outside = paths_are_true(&outer, &red, &header(&lib_rs));
    let manifest = krate.join("Cargo.toml");
    assert!(
        from_outside.contains(&format!("--manifest-path {}", manifest.display()))
            && from_outside.starts_with(&format!("RACEBOOK_REPLAY={}", krate.display())),
        "{from_outside}"
    );
    let (ok, again) = in_dir(&outer, "sh", &["-c", &from_outside]);
    assert!(!ok && again.contains(VERDICT), "{again}");

    // An async check in an integration test whose name has a dash: green, loom named as
    // not applicable.
    let (ok, green) = in_dir(&krate, "cargo", &["test", "--test", "deposits-async"]);
    assert!(ok, "{green}");
    assert!(
        green.contains("✓ ledger · tests/deposits-async.rs:")
            && green.contains("“every deposit counts” holds on every schedule explored")
            && green.contains("not applicable"),
        "{green}"
    );

    // The fix: the stored schedule's failure is gone, in green words, and the test passes.
    std::fs::copy(
        krate.join("fixed_withdraw.rs"),
        krate.join("src/withdraw.rs"),
    )
    .unwrap();
    let (ok, gone) = in_dir(&krate, "sh", &["-c", &replay]);
    assert!(ok && gone.contains("the stored failure is gone"), "{gone}");
    let (ok, all) = in_dir(&krate, "cargo", &["test"]);
    assert!(ok, "{all}");
    assert!(all.contains("✓ ledger · src/lib.rs:"), "{all}");

    let _ = std::fs::remove_dir_all(&outer);
}
