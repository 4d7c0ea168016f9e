//! What the tests need besides cargo, installed when missing or explained in one line each:
//! the wasm target (the visualizer), the node packages of `web/` and Debian's `chromium` (the
//! browser tests). Things that only the browser tests use are skipped while those tests do not
//! exist in the repository.

use crate::process;
use anyhow::{Result, bail};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const CHROMIUM: &str = "/usr/bin/chromium";

/// Checks or installs one thing; `Ok` is the line that says how it stands.
type Check = fn(&Path) -> Result<String>;

/// Check or install everything; one line per thing, an error naming whatever is still missing.
pub fn ensure(root: &Path) -> Result<()> {
    let mut missing = Vec::new();
    let checks: [(&str, Check); 3] = [
        ("wasm target", wasm_target),
        ("node packages", node_packages),
        ("chromium", chromium),
    ];
    for (what, check) in checks {
        match check(root) {
            Ok(line) => println!("  {what:<14} {line}"),
            Err(e) => {
                println!("  {what:<14} MISSING: {e:#}");
                missing.push(what);
            }
        }
    }
    if !missing.is_empty() {
        bail!("the tests need {}; see the lines above", missing.join(", "));
    }
    Ok(())
}

pub fn wasm_target(_root: &Path) -> Result<String> {
    if !process::exists("rustup") {
        bail!(
            "rustup is not installed, so the {WASM_TARGET} target cannot be added; install it \
             for your toolchain (https://rustup.rs, then `rustup target add {WASM_TARGET}`)"
        );
    }
    let installed = process::quiet(
        Command::new("rustup").args(["target", "list", "--installed"]),
        Duration::from_secs(60),
    )?;
    if installed.lines().any(|l| l.trim() == WASM_TARGET) {
        return Ok(format!("{WASM_TARGET} is installed"));
    }
    process::quiet(
        Command::new("rustup").args(["target", "add", WASM_TARGET]),
        Duration::from_secs(600),
    )
    .map_err(|e| {
        e.context(format!(
            "could not add it; run `rustup target add {WASM_TARGET}`"
        ))
    })?;
    Ok(format!("{WASM_TARGET} added with rustup"))
}

fn node_packages(root: &Path) -> Result<String> {
    let web = root.join("web");
    if !web.join("package.json").exists() {
        return Ok("skipped: web/package.json does not exist yet".into());
    }
    if !process::exists("npm") {
        bail!("npm is not installed; run `apt-get install -y nodejs npm`");
    }
    let lock = web.join("package-lock.json");
    if !lock.exists() {
        bail!("web/package-lock.json is missing (npm ci needs it); run `npm install` in web/");
    }
    // npm writes node_modules/.package-lock.json on every install: older than the lockfile
    // means the lockfile changed since.
    let installed = web.join("node_modules/.package-lock.json");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let fresh = matches!(
        (modified(&installed), modified(&lock)),
        (Some(installed), Some(lock)) if installed >= lock
    );
    if fresh {
        return Ok("web/node_modules is up to date".into());
    }
    process::quiet(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&web),
        Duration::from_secs(600),
    )?;
    Ok("installed web/node_modules with npm ci".into())
}

fn chromium(root: &Path) -> Result<String> {
    if !root.join("web/tests/run.mjs").exists() {
        return Ok("skipped: no browser tests (web/tests/run.mjs) yet".into());
    }
    if Path::new(CHROMIUM).exists() {
        return Ok(format!("{CHROMIUM} is installed"));
    }
    if !is_root() {
        bail!("{CHROMIUM} is missing; run `sudo apt-get install -y chromium`");
    }
    let apt = |args: &[&str]| {
        process::quiet(
            Command::new("apt-get")
                .args(args)
                .env("DEBIAN_FRONTEND", "noninteractive"),
            Duration::from_secs(900),
        )
    };
    apt(&["update"])?;
    apt(&["install", "-y", "chromium"])?;
    if !Path::new(CHROMIUM).exists() {
        bail!("apt-get installed chromium but {CHROMIUM} is still missing");
    }
    Ok("installed chromium with apt-get".into())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}
