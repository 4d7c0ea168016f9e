//! Files the harness and the `racebook` command write (progress, traces, schedules, a learner's
//! restored file) go through `write_atomic`: an interrupted or failed write leaves the old file
//! whole. Killing a writer at any moment must leave either the old contents or the new ones.

use racebook_engine::write_atomic;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const SIZE: usize = 4 << 20;
const CHILD: &str = "RACEBOOK_TEST_ATOMIC_CHILD";

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "racebook-nothing-lost-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every byte the same, and the full length: one whole version of the file.
fn whole(path: &Path) -> Option<u8> {
    let bytes = std::fs::read(path).ok()?;
    let first = *bytes.first()?;
    (bytes.len() == SIZE && bytes.iter().all(|&b| b == first)).then_some(first)
}

/// Run only as a child of the test below: rewrite the file forever, alternating its contents.
#[test]
#[ignore = "a helper process for an_interrupted_write_leaves_a_whole_file; not a test on its own"]
fn helper_rewrites_until_killed() {
    let path = PathBuf::from(
        std::env::var(CHILD).expect("run only by an_interrupted_write_leaves_a_whole_file"),
    );
    for round in 0u64.. {
        let byte = if round % 2 == 0 { "b" } else { "c" };
        write_atomic(&path, &byte.repeat(SIZE)).unwrap();
    }
}

#[test]
fn an_interrupted_write_leaves_a_whole_file() {
    let dir = scratch("kill");
    let path = dir.join("state.json");
    write_atomic(&path, &"a".repeat(SIZE)).unwrap();
    // Kill the writer after different delays: whatever it was doing, the file is whole.
    for delay_ms in [0u64, 3, 11, 29, 53] {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--ignored",
                "--exact",
                "helper_rewrites_until_killed",
                "--nocapture",
            ])
            .env(CHILD, &path)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        child.kill().unwrap();
        child.wait().unwrap();
        let seen = whole(&path);
        assert!(
            matches!(seen, Some(b'a' | b'b' | b'c')),
            "after a kill at {delay_ms} ms the file is not whole"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_write_that_cannot_complete_is_an_error_and_keeps_the_old_file() {
    let dir = scratch("fail");
    let path = dir.join("state.json");
    write_atomic(&path, "old progress\n").unwrap();
    // The temporary file's name is taken by a folder: the write fails before touching the file
    // (a read-only folder would do the same, except for root, who may write anywhere).
    std::fs::create_dir(dir.join(format!(".state.json.{}.tmp", std::process::id()))).unwrap();
    let err = write_atomic(&path, "new progress\n");
    assert!(err.is_err());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "old progress\n");
    let _ = std::fs::remove_dir_all(&dir);
}
