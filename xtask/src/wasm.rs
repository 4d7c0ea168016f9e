//! The visualizer's wasm build: `racebook-viz` compiled for wasm32 with the `wasm-release`
//! profile, its JS glue written by wasm-bindgen used as a library (nothing to install), and both
//! files named by a hash of their content, so a browser never pairs a stale glue with a new
//! module. The book build copies them into the book (see `visualizer`).

use crate::workspace::cargo;
use crate::{paths, prereqs, process};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use wasm_bindgen_cli_support::Bindgen;

const TARGET: &str = "wasm32-unknown-unknown";
const PROFILE: &str = "wasm-release";
const PACKAGE: &str = "racebook-viz";
/// The file stem wasm-bindgen derives from the crate name.
const STEM: &str = "racebook_viz";
/// A wasm build is a cargo build of one small crate; this bounds a hung one.
const BUILD_LIMIT: Duration = Duration::from_secs(20 * 60);

/// The built visualizer: a folder with the glue module and the wasm, by their hashed names.
#[derive(Debug, Clone)]
pub struct VizBuild {
    pub dir: PathBuf,
    /// e.g. `racebook_viz-1a2b3c4d.js`, an ES module exporting `default` (init) and the API.
    pub glue: String,
    /// e.g. `racebook_viz_bg-5e6f7a8b.wasm`.
    pub wasm: String,
}

impl VizBuild {
    pub fn files(&self) -> [PathBuf; 2] {
        [self.dir.join(&self.glue), self.dir.join(&self.wasm)]
    }
}

/// Build the visualizer of the checkout at `root` into `target/xtask/viz/`.
pub fn build(root: &Path) -> Result<VizBuild> {
    let target = prereqs::wasm_target(root)?;
    println!("  wasm target: {target}");
    let target_dir = paths::target_dir(root);
    let mut command = Command::new(cargo());
    command.current_dir(root).args([
        "build",
        "--quiet",
        "--package",
        PACKAGE,
        "--lib",
        "--target",
        TARGET,
        "--profile",
        PROFILE,
    ]);
    process::stream(&mut command, BUILD_LIMIT).context("the visualizer's wasm build failed")?;
    let input = target_dir
        .join(TARGET)
        .join(PROFILE)
        .join(format!("{STEM}.wasm"));

    let xtask = paths::xtask_dir(root);
    let staging = xtask.join("viz-bindgen");
    let out = xtask.join("viz");
    // wasm-bindgen takes seconds in xtask's debug build; skip it when the module is unchanged.
    let module_hash = file_hash(&input)?;
    if let Some(build) = unchanged(&out, &module_hash) {
        return Ok(build);
    }
    for dir in [&staging, &out] {
        if dir.exists() {
            std::fs::remove_dir_all(dir)
                .with_context(|| format!("cannot clear {}", dir.display()))?;
        }
    }
    Bindgen::new()
        .input_path(&input)
        .web(true)?
        .typescript(false)
        // Function names are for debuggers; the page does not need them.
        .remove_name_section(true)
        .remove_producers_section(true)
        .generate(&staging)
        .with_context(|| format!("wasm-bindgen could not process {}", input.display()))?;
    if staging.join("snippets").exists() {
        bail!("the visualizer grew JS snippets; copy them into the book too before allowing it");
    }
    std::fs::create_dir_all(&out)?;
    let glue = hashed_copy(&staging.join(format!("{STEM}.js")), &out)?;
    let wasm = hashed_copy(&staging.join(format!("{STEM}_bg.wasm")), &out)?;
    let stamp = format!("{module_hash}\n{glue}\n{wasm}\n");
    std::fs::write(out.join(STAMP), stamp).context("cannot write the wasm build's stamp")?;
    Ok(VizBuild {
        dir: out,
        glue,
        wasm,
    })
}

/// In the output folder: the hash of the module cargo built, then the two file names made
/// from it.
const STAMP: &str = "built-from.txt";

/// The previous build in `out`, if it was made from the module with hash `module_hash` and its
/// files are still there.
fn unchanged(out: &Path, module_hash: &str) -> Option<VizBuild> {
    let stamp = std::fs::read_to_string(out.join(STAMP)).ok()?;
    let mut lines = stamp.lines();
    if lines.next()? != module_hash {
        return None;
    }
    let build = VizBuild {
        dir: out.to_path_buf(),
        glue: lines.next()?.to_string(),
        wasm: lines.next()?.to_string(),
    };
    build.files().iter().all(|f| f.is_file()).then_some(build)
}

fn file_hash(file: &Path) -> Result<String> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    Ok(crate::digest::sha256_hex(&bytes))
}

/// Copy `file` into `dir` as `<stem>-<first 8 hex digits of its SHA-256>.<ext>`.
fn hashed_copy(file: &Path, dir: &Path) -> Result<String> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let hex = crate::digest::short_hash(&bytes);
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or(STEM);
    let ext = file.extension().and_then(|s| s.to_str()).unwrap_or("");
    let name = format!("{stem}-{hex}.{ext}");
    std::fs::write(dir.join(&name), &bytes)
        .with_context(|| format!("cannot write {}", dir.join(&name).display()))?;
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_build_is_reused_only_for_the_same_module_with_its_files_present() {
        let out = tempfile::tempdir().unwrap();
        std::fs::write(out.path().join("g-1.js"), b"glue").unwrap();
        std::fs::write(out.path().join("w-1.wasm"), b"wasm").unwrap();
        std::fs::write(out.path().join(STAMP), "abc\ng-1.js\nw-1.wasm\n").unwrap();
        let reused = unchanged(out.path(), "abc").expect("same module, files present");
        assert_eq!(
            (reused.glue.as_str(), reused.wasm.as_str()),
            ("g-1.js", "w-1.wasm")
        );
        assert!(unchanged(out.path(), "def").is_none(), "another module");
        std::fs::remove_file(out.path().join("w-1.wasm")).unwrap();
        assert!(unchanged(out.path(), "abc").is_none(), "a file is gone");
    }

    #[test]
    fn hashed_names_change_with_the_content() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("racebook_viz_bg.wasm");
        std::fs::write(&file, b"one").unwrap();
        let first = hashed_copy(&file, dir.path()).unwrap();
        std::fs::write(&file, b"two").unwrap();
        let second = hashed_copy(&file, dir.path()).unwrap();
        assert!(first.starts_with("racebook_viz_bg-") && first.ends_with(".wasm"));
        assert_ne!(first, second);
        assert_eq!(std::fs::read(dir.path().join(&second)).unwrap(), b"two");
    }
}
