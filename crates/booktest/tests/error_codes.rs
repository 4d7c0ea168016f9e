//! A book page's `compile_fail,EXXXX` block fails to compile with that error, not just any error
//! (stable rustdoc only checks that it fails). Each such block is compiled as `fn main` with
//! `rustc --edition 2024`, the way rustdoc wraps a doctest; these blocks may use only `std`.

use racebook_booktest::fences::{Fence, fences, is_rust};
use std::path::{Path, PathBuf};
use std::process::Command;

#[test]
fn compile_fail_blocks_fail_with_the_error_they_name() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut pages = Vec::new();
    collect_pages(&root.join("src"), &mut pages);
    let scratch = std::env::temp_dir().join(format!("racebook-error-codes-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let mut checked = 0;
    let mut problems = Vec::new();
    for page in &pages {
        let text = std::fs::read_to_string(page).unwrap();
        for fence in fences(&text) {
            let codes: Vec<&str> = fence.words().filter(|w| is_error_code(w)).collect();
            if codes.is_empty() || !is_rust(&fence) || !fence.words().any(|w| w == "compile_fail") {
                continue;
            }
            let stderr = compile(&fence, &scratch.join(format!("block{checked}.rs")));
            checked += 1;
            for code in codes {
                if !stderr.contains(&format!("error[{code}]")) {
                    problems.push(format!(
                        "{}:{}: expected error {code}, rustc said:\n{stderr}",
                        page.display(),
                        fence.line + 1
                    ));
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
    eprintln!("checked the error codes of {checked} compile_fail block(s)");
}

fn is_error_code(word: &str) -> bool {
    word.len() == 5 && word.starts_with('E') && word[1..].chars().all(|c| c.is_ascii_digit())
}

/// rustc's diagnostics for the block wrapped in `fn main`, with mdBook's hidden lines shown.
fn compile(fence: &Fence, file: &Path) -> String {
    let body: Vec<&str> = fence
        .body
        .iter()
        .map(|line| match line.trim_start() {
            "#" => "",
            hidden if hidden.starts_with("# ") => &hidden[2..],
            _ => line.as_str(),
        })
        .collect();
    let source = format!("#![allow(unused)]\nfn main() {{\n{}\n}}\n", body.join("\n"));
    std::fs::write(file, source).unwrap();
    let output = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
        .args([
            "--edition",
            "2024",
            "--crate-type",
            "bin",
            "--emit",
            "metadata",
        ])
        .arg("--out-dir")
        .arg(file.parent().unwrap())
        .arg(file)
        .output()
        .expect("rustc runs");
    assert!(
        !output.status.success(),
        "{}: a compile_fail block compiled",
        file.display()
    );
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn collect_pages(dir: &Path, pages: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_pages(&path, pages);
        } else if path.extension().is_some_and(|e| e == "md") {
            pages.push(path);
        }
    }
}
