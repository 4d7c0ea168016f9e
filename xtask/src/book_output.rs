//! Checks the rendered book: every relative link and asset reference points at a file of the
//! output (and at an element id, when it names a fragment), and nothing the browser would load
//! on its own (scripts, styles, images, fonts, frames, redirects) comes from another origin, so
//! the book works offline. Hyperlinks a reader clicks (`<a href="https://...">`, e.g. a cited
//! bug report) are not loads and are allowed.

use crate::book::Built;
use crate::http;
use anyhow::{Context, Result, bail};
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};
use std::sync::LazyLock;

static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<([a-zA-Z][a-zA-Z0-9-]*)\b([^>]*)>").expect("valid regex"));
static ATTR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)\b([a-z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')"#).expect("valid regex")
});
/// `url(...)` and `@import "..."` in CSS, in style attributes and `<style>` blocks.
static CSS_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)"#).expect("valid regex")
});
/// Script and style bodies are skipped when looking for tags: their text is not markup.
static RAW_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)<(script|style)\b[^>]*>.*?</(?:script|style)>").expect("valid regex")
});

/// One reference found in a page.
#[derive(Debug, PartialEq)]
struct Reference {
    tag: String,
    attr: String,
    url: String,
}

/// Check the book rendered into `out`; counts of what was checked on success.
pub fn check(out: &Path) -> Result<Built> {
    let files = list_files(out)?;
    let mut pages = BTreeMap::new();
    let mut problems = Vec::new();
    for file in &files {
        let path = out.join(file);
        match file.extension().and_then(|e| e.to_str()) {
            Some("html") => {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                pages.insert(file.clone(), text);
            }
            Some("css") => {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                for url in css_urls(&text) {
                    if is_external(&url) {
                        problems.push(format!("{}: loads {url}", file.display()));
                    }
                }
            }
            _ => {}
        }
    }
    let ids: BTreeMap<&PathBuf, BTreeSet<String>> = pages
        .iter()
        .map(|(f, text)| (f, element_ids(text)))
        .collect();
    for (file, text) in &pages {
        let base = base_dir(file, text);
        for reference in references(text) {
            if let Some(problem) = check_reference(&reference, &base, file, &files, &ids) {
                problems.push(format!("{}: {problem}", file.display()));
            }
        }
    }
    if !problems.is_empty() {
        problems.sort();
        problems.dedup();
        bail!(
            "the built book has {} broken or external reference(s):\n  {}",
            problems.len(),
            problems.join("\n  ")
        );
    }
    Ok(Built {
        pages: pages.len(),
        files: files.len(),
    })
}

/// The files under `dir`, relative to it.
pub fn list_files(dir: &Path) -> Result<BTreeSet<PathBuf>> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in
            std::fs::read_dir(&at).with_context(|| format!("cannot list {}", at.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.strip_prefix(dir).unwrap_or(&path).to_path_buf());
            }
        }
    }
    Ok(out)
}

fn references(html: &str) -> Vec<Reference> {
    let mut out = Vec::new();
    let markup = RAW_TEXT.replace_all(html, "");
    for tag in TAG.captures_iter(&markup) {
        let name = tag[1].to_ascii_lowercase();
        let attrs: Vec<(String, String)> = ATTR
            .captures_iter(&tag[2])
            .map(|a| {
                let value = a.get(2).or(a.get(3)).map_or("", |m| m.as_str());
                (a[1].to_ascii_lowercase(), decode_entities(value))
            })
            .collect();
        for (attr, value) in &attrs {
            let urls: Vec<String> = match attr.as_str() {
                "href" | "src" | "poster" | "data" | "action" | "formaction" => {
                    vec![value.clone()]
                }
                "srcset" => value
                    .split(',')
                    .filter_map(|c| c.split_whitespace().next())
                    .map(str::to_string)
                    .collect(),
                // `<meta http-equiv="refresh" content="0; url=...">`: mdBook's redirects.
                "content" if name == "meta" => value
                    .split_once("url=")
                    .map(|(_, url)| vec![url.trim().to_string()])
                    .unwrap_or_default(),
                "style" => css_urls(value),
                _ => Vec::new(),
            };
            out.extend(urls.into_iter().map(|url| Reference {
                tag: name.clone(),
                attr: attr.clone(),
                url,
            }));
        }
    }
    // Inline `<style>` blocks.
    for block in RAW_TEXT.find_iter(html) {
        if block
            .as_str()
            .get(..6)
            .is_some_and(|s| s.eq_ignore_ascii_case("<style"))
        {
            out.extend(css_urls(block.as_str()).into_iter().map(|url| Reference {
                tag: "style".into(),
                attr: "url".into(),
                url,
            }));
        }
    }
    out
}

fn css_urls(css: &str) -> Vec<String> {
    CSS_URL
        .captures_iter(css)
        .map(|c| c[1].to_string())
        .collect()
}

fn element_ids(html: &str) -> BTreeSet<String> {
    let markup = RAW_TEXT.replace_all(html, "");
    let mut ids = BTreeSet::new();
    for tag in TAG.captures_iter(&markup) {
        for a in ATTR.captures_iter(&tag[2]) {
            if a[1].eq_ignore_ascii_case("id") || a[1].eq_ignore_ascii_case("name") {
                ids.insert(decode_entities(
                    a.get(2).or(a.get(3)).map_or("", |m| m.as_str()),
                ));
            }
        }
    }
    ids
}

/// The few entities that occur in URLs and ids of rendered markdown.
fn decode_entities(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

fn is_external(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("//")
        || ["http:", "https:", "ws:", "wss:", "ftp:"]
            .iter()
            .any(|scheme| lower.starts_with(scheme))
}

/// The folder relative URLs of a page resolve against: its own, or its `<base href>` (the 404
/// page uses one).
fn base_dir(file: &Path, html: &str) -> PathBuf {
    let page_dir = file.parent().unwrap_or(Path::new("")).to_path_buf();
    let markup = RAW_TEXT.replace_all(html, "");
    for tag in TAG.captures_iter(&markup) {
        if tag[1].eq_ignore_ascii_case("base") {
            for a in ATTR.captures_iter(&tag[2]) {
                if a[1].eq_ignore_ascii_case("href") {
                    let href = a.get(2).or(a.get(3)).map_or("", |m| m.as_str());
                    if href.starts_with('/') {
                        return PathBuf::from(href.trim_start_matches('/'));
                    }
                    return page_dir.join(href);
                }
            }
        }
    }
    page_dir
}

fn check_reference(
    reference: &Reference,
    base: &Path,
    page: &Path,
    files: &BTreeSet<PathBuf>,
    ids: &BTreeMap<&PathBuf, BTreeSet<String>>,
) -> Option<String> {
    let url = reference.url.trim();
    if is_external(url) {
        // A hyperlink is followed only when the reader clicks it; anything else is a load.
        if reference.tag == "a" && reference.attr == "href" {
            return None;
        }
        return Some(format!(
            "<{} {}> loads {url} from another origin",
            reference.tag, reference.attr
        ));
    }
    let lower = url.to_ascii_lowercase();
    if url.is_empty()
        || ["mailto:", "data:", "javascript:", "blob:", "about:"]
            .iter()
            .any(|s| lower.starts_with(s))
        || url.contains("{{")
    {
        return None;
    }
    let (path_part, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (url, None),
    };
    let path_part = path_part.split('?').next().unwrap_or("");
    let target = if path_part.is_empty() {
        page.to_path_buf()
    } else {
        let joined = if let Some(abs) = path_part.strip_prefix('/') {
            PathBuf::from(abs)
        } else {
            base.join(percent_decode(path_part))
        };
        let Some(mut target) = normalize(&joined) else {
            return Some(format!("{url} points outside the book"));
        };
        if path_part.ends_with('/') || target.as_os_str().is_empty() || !files.contains(&target) {
            let index = target.join("index.html");
            if files.contains(&index) {
                target = index;
            }
        }
        if !files.contains(&target) {
            return Some(format!(
                "{url} points at {}, which is not in the book",
                target.display()
            ));
        }
        target
    };
    match (fragment, ids.get(&target)) {
        (Some(f), Some(known)) if !f.is_empty() && !known.contains(&percent_decode(f)) => Some(
            format!("{url}: {} has no element with id {f:?}", target.display()),
        ),
        _ => None,
    }
}

/// Resolve `.` and `..` without touching the disk; `None` if it climbs above the root.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(p) => out.push(p),
            Component::RootDir | Component::Prefix(_) => {}
        }
    }
    Some(out)
}

/// `%XX` escapes decoded; text that is not a valid escape is taken as written.
fn percent_decode(s: &str) -> String {
    http::percent_decode(s).unwrap_or_else(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn a_consistent_book_passes() {
        let dir = book(&[
            (
                "index.html",
                r##"<link rel="stylesheet" href="css/a.css"><a href="ch/one.html#part">x</a>
                   <a href="https://example.org/bug/1">cited</a><a href="#top" id="top">t</a>
                   <script>var s = "<img src='https://x.test/a.png'>";</script>"##,
            ),
            (
                "ch/one.html",
                r#"<h2 id="part">P</h2><a href="../index.html">up</a>"#,
            ),
            ("css/a.css", "body { background: url('../img/b.png') }"),
            ("img/b.png", ""),
        ]);
        let built = check(dir.path()).unwrap();
        assert_eq!((built.pages, built.files), (2, 4));
    }

    #[test]
    fn reports_broken_links_fragments_and_external_loads() {
        let dir = book(&[
            (
                "index.html",
                r#"<a href="ch/missing.html">x</a><a href="ch/one.html#nowhere">y</a>
                   <link href="https://fonts.example/css" rel="stylesheet">
                   <img src="//cdn.example/a.png"><div style="background:url(http://a.test/b)">"#,
            ),
            ("ch/one.html", "<p>one</p>"),
            ("css/a.css", "@import 'https://fonts.example/x.css';"),
        ]);
        let err = format!("{:#}", check(dir.path()).unwrap_err());
        for needle in [
            "ch/missing.html, which is not in the book",
            "no element with id \"nowhere\"",
            "<link href> loads https://fonts.example/css",
            "<img src> loads //cdn.example/a.png",
            "<div style> loads http://a.test/b",
            "css/a.css: loads https://fonts.example/x.css",
        ] {
            assert!(err.contains(needle), "missing {needle:?} in:\n{err}");
        }
        assert!(err.contains("6 broken or external"), "{err}");
    }
}
