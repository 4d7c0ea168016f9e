//! The names reports give facade objects and threads that were not named explicitly. The facade
//! mirrors std's constructors (`Mutex::new(value)`), so the name comes from the source line that
//! built the object: the binding it is stored in (`let counts = …`, a field `counts: …`, a
//! `static COUNTS: …`, an assignment `self.counts = …`), or else its kind and where it was
//! built (`mutex@lib.rs:12`).

use std::collections::HashMap;
use std::panic::Location;
use std::sync::{Mutex, OnceLock};

/// Derived names by where the object was built and its kind.
type NameCache = HashMap<(&'static str, u32, u32, String), String>;

/// The name for an object of `kind` (e.g. `mutex`) built at `at`, derived from its source.
pub fn derived(kind: &str, at: &'static Location<'static>) -> String {
    static NAMES: OnceLock<Mutex<NameCache>> = OnceLock::new();
    let key = (at.file(), at.line(), at.column(), kind.to_string());
    let mut names = NAMES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    names
        .entry(key)
        .or_insert_with(|| {
            let lines = crate::record::raw_lines(at.file());
            binding(&lines, at.line() as usize, at.column() as usize)
                .unwrap_or_else(|| format!("{kind}@{}:{}", file_name(at.file()), at.line()))
        })
        .clone()
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// The binding the expression at `line`:`column` (1-based) is stored in, if the source says.
/// rustfmt may break `let name =` and its value over two lines, so an open `let` on the lines
/// just before counts too.
fn binding(lines: &[String], line: usize, column: usize) -> Option<String> {
    let text = lines.get(line.checked_sub(1)?)?;
    let prefix: String = text.chars().take(column.saturating_sub(1)).collect();
    if let Some(name) = name_in_prefix(&prefix) {
        return Some(name);
    }
    // Only the start of an expression may continue a binding from the lines above.
    if !prefix.trim().is_empty() && !prefix.trim_end().ends_with('(') {
        return None;
    }
    for above in lines[..line - 1].iter().rev().take(2) {
        let above = above.trim_end();
        if above.ends_with(';') || above.ends_with('{') || above.ends_with('}') {
            return None;
        }
        if let Some(name) = name_in_prefix(above) {
            return Some(name);
        }
    }
    None
}

/// The name bound by the text before an expression: `let [mut] NAME [: T] =`, `static NAME: T =`,
/// `NAME: ` (a field in a struct literal), or `[self.]NAME =`.
fn name_in_prefix(prefix: &str) -> Option<String> {
    let p = prefix.trim();
    for keyword in ["let ", "static ", "const "] {
        // The keyword itself, not the end of a word such as `'static`.
        let starts_word = |at: usize| {
            p[..at]
                .chars()
                .next_back()
                .is_none_or(|c| c.is_whitespace() || "{(;".contains(c))
        };
        let found = p
            .rmatch_indices(keyword)
            .map(|(i, _)| i)
            .find(|&i| starts_word(i));
        if let Some(at) = found {
            let rest = p[at + keyword.len()..].trim_start();
            let rest = rest.strip_prefix("mut ").unwrap_or(rest);
            let name = ident_at_start(rest)?;
            let after = rest[name.len()..].trim_start();
            // `let x = …(` or `let x: T = …(`: the value is (part of) what is being built.
            if after.starts_with('=') || after.starts_with(':') {
                return usable(name);
            }
            return None;
        }
    }
    // A field in a struct literal: the last `name:` that is not part of a `::` path.
    let bytes = p.as_bytes();
    for (i, &b) in bytes.iter().enumerate().rev() {
        let single_colon =
            b == b':' && bytes.get(i + 1) != Some(&b':') && (i == 0 || bytes[i - 1] != b':');
        if single_colon {
            let name = ident_at_end(&p[..i]);
            return name.and_then(usable);
        }
    }
    // An assignment: `name = …` or `self.name = …`.
    let (lhs, _) = p.split_once('=')?;
    if lhs.ends_with(['!', '<', '>', '=']) || p.contains("==") {
        return None;
    }
    ident_at_end(lhs.trim_end()).and_then(usable)
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn ident_at_start(s: &str) -> Option<&str> {
    let end = s.find(|c: char| !is_ident_char(c)).unwrap_or(s.len());
    (end > 0).then(|| &s[..end])
}

fn ident_at_end(s: &str) -> Option<&str> {
    let s = s.trim_end();
    let start = s
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_ident_char(*c))
        .last()
        .map(|(i, _)| i)?;
    Some(&s[start..])
}

/// A binding worth showing: not `_`, not a pattern, not a number.
fn usable(name: &str) -> Option<String> {
    let ok = !name.is_empty()
        && name != "_"
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(is_ident_char);
    ok.then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(source: &str, call: &str) -> Option<String> {
        let lines: Vec<String> = source.lines().map(str::to_string).collect();
        let (line, text) = lines
            .iter()
            .enumerate()
            .find(|(_, l)| l.contains(call))
            .expect("the call is in the source");
        let column = text.find(call).expect("found above") + 1;
        binding(&lines, line + 1, column)
    }

    #[test]
    fn bindings_name_what_they_hold() {
        let cases = [
            (
                "let counts = Arc::new(Mutex::new(Counts::new()));",
                "Mutex::new",
                "counts",
            ),
            (
                "let mut total: u64 = AtomicU64::new(0);",
                "AtomicU64::new",
                "total",
            ),
            (
                "static READY: AtomicBool = AtomicBool::new(false);",
                "AtomicBool::new",
                "READY",
            ),
            (
                "        index: AtomicUsize::new(0),",
                "AtomicUsize::new",
                "index",
            ),
            (
                "    self.scratch = Mutex::new(Map::new());",
                "Mutex::new",
                "scratch",
            ),
        ];
        for (line, call, want) in cases {
            assert_eq!(name(line, call).as_deref(), Some(want), "{line}");
        }
    }

    #[test]
    fn a_binding_broken_over_two_lines_still_names_it() {
        let source = "let scratch =\n    Arc::new(Mutex::new(BTreeMap::new()));";
        assert_eq!(name(source, "Mutex::new").as_deref(), Some("scratch"));
    }

    #[test]
    fn no_binding_gives_no_name() {
        assert_eq!(name("spawn(Mutex::new(0));", "Mutex::new"), None);
        assert_eq!(name("foo(a == Mutex::new(0));", "Mutex::new"), None);
        assert_eq!(
            name("let x = 1;\n    Mutex::new(0)", "Mutex::new"),
            None,
            "a finished statement above is not this one's binding"
        );
        assert_eq!(name("let _ = Mutex::new(0);", "Mutex::new"), None);
        assert_eq!(name("let (a, b) = mpsc::channel();", "mpsc::channel"), None);
        assert_eq!(
            name(
                "let label: &'static str = pick(Mutex::new(0));",
                "Mutex::new"
            )
            .as_deref(),
            Some("label")
        );
    }
}
