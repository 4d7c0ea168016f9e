//! Where a check in any crate's tests keeps its files, and how its report points back at them:
//! paths as the reader can type them from the folder they ran `cargo test` in, and a replay
//! command built from the real package, test target and test name.

use crate::checking::{Place, file_safe};
use crate::invocation::{Invocation, shell_word};
use racebook_trace::Trace;
use std::cell::RefCell;
use std::collections::HashMap;
use std::panic::Location;
use std::path::{Path, PathBuf};

thread_local! {
    /// Checks run so far by each test on this thread, for naming a second one apart.
    static RUN_HERE: RefCell<HashMap<String, u32>> = RefCell::new(HashMap::new());
}

pub(crate) struct TestPlace {
    at: &'static Location<'static>,
    invocation: Invocation,
    root: PathBuf,
    /// The shell's folder lies inside the workspace: paths are written relative to it, and
    /// cargo finds the workspace by itself. Otherwise paths are absolute and the command names
    /// the manifest, so that both are true wherever the reader stands.
    relative: bool,
    suite: String,
}

impl TestPlace {
    pub(crate) fn new(at: &'static Location<'static>) -> TestPlace {
        let root = crate::record::workspace_root();
        let invocation = Invocation::current(at.file());
        let relative = std::env::var_os("PWD")
            .map(PathBuf::from)
            .is_some_and(|p| p.is_absolute() && p.is_dir() && p.starts_with(&root));
        let suite = invocation.package.clone().unwrap_or_else(|| {
            root.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "checks".into())
        });
        TestPlace {
            at,
            invocation,
            root,
            relative,
            suite,
        }
    }

    pub(crate) fn suite(&self) -> &str {
        &self.suite
    }

    /// The running test's name; a second unnamed check in the same test gets `#2`, and so on.
    /// Outside a test, the call's file and line.
    pub(crate) fn default_name(&self) -> String {
        let base = self.invocation.test.clone().unwrap_or_else(|| {
            let file = Path::new(self.at.file())
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            format!("{file}:{}", self.at.line())
        });
        let n = RUN_HERE.with(|r| {
            let mut r = r.borrow_mut();
            let n = r.entry(base.clone()).or_insert(0);
            *n += 1;
            *n
        });
        if n == 1 { base } else { format!("{base}#{n}") }
    }

    /// The report's header after the package: where the check is called, and its name.
    pub(crate) fn header(&self, name: &str) -> String {
        let file = self.show(&self.root.join(self.at.file()));
        format!("{file}:{} · {name}", self.at.line())
    }

    /// `target/racebook/<package>/`.
    pub(crate) fn out_dir(&self) -> PathBuf {
        crate::paths::racebook_dir().join(file_safe(&self.suite))
    }
}

impl Place for TestPlace {
    fn show(&self, path: &Path) -> String {
        if self.relative {
            crate::terminal::display_path(path)
        } else {
            path.display().to_string()
        }
    }

    fn replay_command(&self, schedule: &Path) -> String {
        let manifest = match (&self.invocation.manifest, self.relative) {
            (Some(m), false) => Some(m.display().to_string()),
            _ => None,
        };
        let mut words = vec![
            format!("RACEBOOK_REPLAY={}", shell_word(&self.show(schedule))),
            "cargo".into(),
            "test".into(),
        ];
        words.extend(
            self.invocation
                .cargo_test_args(manifest.as_deref())
                .iter()
                .map(|w| shell_word(w)),
        );
        words.join(" ")
    }

    fn view(&self, trace: &Trace, trace_file: &Path) -> Option<String> {
        crate::viewlink::for_any_crate(trace, &self.show(trace_file))
    }
}
