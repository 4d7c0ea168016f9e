//! `racebook viz [EX]`: open the learner's latest failing trace in the book's visualizer. It
//! finds this checkout's served book (from the port asked for, like `cargo xtask serve` does),
//! starts `cargo xtask serve` when none runs, opens a browser when one can be opened, and
//! always prints the URL.

use crate::book::{self, DEFAULT_PORT};
use crate::browser;
use crate::cargo;
use crate::commands::check::number;
use crate::context::{Ctx, command};
use crate::repo::Repo;
use crate::state::{Progress, State};
use anyhow::{Context, Result, bail};
use std::process::Command;
use std::time::{Duration, Instant};

const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The first build of the book compiles the visualizer; on 2 cores a cold one takes minutes.
const FIRST_BUILD_LIMIT: Duration = Duration::from_secs(20 * 60);

pub fn run(
    ctx: &Ctx,
    exercise: Option<&str>,
    port: Option<u16>,
    open: bool,
    serve: bool,
) -> Result<bool> {
    let ex = ctx.pick(exercise)?;
    let slug = ex.slug();
    let file = format!("{}.trace.json", racebook_workbook::learner::LEARNER);
    let trace = ctx.repo.results_dir(slug).join(&file);
    let Ok(bytes) = std::fs::read(&trace) else {
        bail!(
            "no trace of {slug} yet: a failing check writes one ({})",
            command(&format!("check {}", number(ex)))
        );
    };
    if State::load(&ctx.repo).exercise(slug).status == Progress::Green {
        println!("note: {slug} is green now; this trace is from your last failing check");
    }
    let path = book::local_path(slug, &file);
    let share = ctx.repo.results_dir(slug).join(format!(
        "{}.share-url.txt",
        racebook_workbook::learner::LEARNER
    ));
    let share = share.is_file().then(|| ctx.repo.shown(&share));
    serve_trace(
        &ctx.repo,
        &path,
        &bytes,
        port,
        open,
        serve,
        share.as_deref(),
    )
}

/// Open the file the served book answers at `path` (under `/local/`, with exactly `bytes`) in
/// the visualizer: in this checkout's served book, found from `port` on, or in one started for
/// it when `serve` allows. `share` names a file holding a link with the whole trace inside.
pub fn serve_trace(
    repo: &Repo,
    path: &str,
    bytes: &[u8],
    port: Option<u16>,
    open: bool,
    serve: bool,
    share: Option<&str>,
) -> Result<bool> {
    let first = port.or_else(port_from_env).unwrap_or(DEFAULT_PORT);
    let url = |port: u16| format!("http://127.0.0.1:{port}/visualizer.html#trace-url={path}");

    let (found, taken) = book::find(first, path, bytes);
    for p in &taken {
        println!("port {p} is in use by another program (not this checkout's book)");
    }
    if let Some(p) = found {
        show(&url(p), open);
        return Ok(true);
    }
    if !serve {
        let inside = std::env::current_dir().is_ok_and(|here| here.starts_with(&repo.root));
        let serve = if inside {
            "`cargo xtask serve`".to_string()
        } else {
            format!("`cargo xtask serve` in {}", repo.root.display())
        };
        println!(
            "the book is not being served: run {serve} in another terminal, then open\n  {}",
            url(first)
        );
        if let Some(share) = share {
            println!(
                "(a link with the whole trace inside, for any served copy of the book: {share})"
            );
        }
        return Ok(true);
    }
    check_wasm_target()?;
    println!(
        "the book is not being served; starting `cargo xtask serve --port {first}` (the first build takes a while; Ctrl-C stops it)"
    );
    let mut server = cargo::command(&repo.root)
        .args(["xtask", "serve", "--port", &first.to_string()])
        .spawn()
        .context("cannot start `cargo xtask serve`")?;
    let start = Instant::now();
    let port = loop {
        if let Some(status) = server.try_wait()? {
            bail!("`cargo xtask serve` stopped ({status}); its messages are above");
        }
        if start.elapsed() > FIRST_BUILD_LIMIT {
            let _ = server.kill();
            bail!(
                "the book was not served after {}; stopped",
                cargo::minutes(FIRST_BUILD_LIMIT)
            );
        }
        if let (Some(p), _) = book::find(first, path, bytes) {
            match book::page_status(p) {
                Some(200) => break p,
                Some(500) => {
                    let _ = server.kill();
                    bail!("the book did not build; `cargo xtask serve` says why above");
                }
                _ => {}
            }
        }
        std::thread::sleep(Duration::from_millis(500));
    };
    show(&url(port), open);
    println!("serving until you press Ctrl-C");
    server.wait()?;
    Ok(true)
}

fn port_from_env() -> Option<u16> {
    let url = std::env::var("RACEBOOK_BOOK_URL").ok()?;
    url.trim_end_matches('/').rsplit(':').next()?.parse().ok()
}

fn show(url: &str, open: bool) {
    println!("the trace in the visualizer:\n  {url}");
    if !open {
        return;
    }
    match browser::open(url) {
        Ok(()) => println!("opened in your browser"),
        Err(why) => println!("could not open a browser ({why}); open the URL above yourself"),
    }
}

/// The book's visualizer is WebAssembly: without the target the book cannot build. Checked
/// only where rustup manages the toolchain.
pub fn check_wasm_target() -> Result<()> {
    let Ok(out) = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
    else {
        return Ok(());
    };
    let installed = String::from_utf8_lossy(&out.stdout);
    if out.status.success() && !installed.lines().any(|l| l.trim() == WASM_TARGET) {
        bail!(
            "the visualizer is built for WebAssembly and the {WASM_TARGET} target is missing: \
             run `rustup target add {WASM_TARGET}` (once, online), then try again"
        );
    }
    Ok(())
}
