//! `cargo xtask serve`: build the book, serve it on 127.0.0.1 (the first free port from the
//! one asked for), and rebuild when its inputs change. Each build goes to a fresh folder that
//! replaces the served one only when it succeeded, so a reader never sees a half-written book;
//! a failed build is shown in the browser until the next save fixes it.

use crate::http::{self, Site, SiteState};
use crate::{book, paths, watch};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// How many ports after the requested one are tried.
const PORT_TRIES: u16 = 50;

pub fn run(port: u16) -> Result<()> {
    let root = paths::root();
    let (server, bound) = bind(port)?;
    if bound != port {
        println!("port {port} is in use; using {bound} instead");
    }
    // One folder per port, so two servers of one checkout do not delete each other's builds;
    // whatever is there is left from an earlier session stopped with Ctrl-C.
    let builds = paths::xtask_dir(&root).join(format!("serve-{bound}"));
    if builds.exists() {
        std::fs::remove_dir_all(&builds)
            .with_context(|| format!("cannot clear {}", builds.display()))?;
    }
    let site = Arc::new(Site {
        state: Mutex::new(SiteState {
            book_dir: None,
            error: None,
            generation: 0,
        }),
        local_dir: paths::target_dir(&root).join("racebook"),
    });
    let server_site = Arc::clone(&site);
    std::thread::spawn(move || http::serve(server, server_site));
    println!("serving the book at http://127.0.0.1:{bound}/  (Ctrl-C stops)");

    // Watch before the first build, so an edit made while it runs is not missed.
    let watch = watch::start(&root)?;
    rebuild(&root, &builds, &site);
    while let Some(changed) = watch.next_batch() {
        let first = paths::shown(&root, &changed[0]);
        match changed.len() - 1 {
            0 => println!("changed: {first}"),
            n => println!("changed: {first} and {n} more"),
        }
        rebuild(&root, &builds, &site);
    }
    bail!("the file watcher stopped")
}

/// Build into a new folder; on success serve it and drop the previous one.
fn rebuild(root: &Path, builds: &Path, site: &Site) {
    let generation = site
        .state
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .generation
        + 1;
    let out = builds.join(format!("build-{generation}"));
    let started = Instant::now();
    let result = book::build(root, &out);
    let mut state = site.state.lock().unwrap_or_else(|p| p.into_inner());
    state.generation = generation;
    match result {
        Ok(built) => {
            println!(
                "built the book: {} pages in {:.1} s",
                built.pages,
                started.elapsed().as_secs_f64()
            );
            let previous: Option<PathBuf> = state.book_dir.replace(out);
            state.error = None;
            drop(state);
            if let Some(previous) = previous {
                let _ = std::fs::remove_dir_all(previous);
            }
        }
        Err(e) => {
            let message = format!("{e:#}");
            eprintln!("the book did not build: {message}");
            state.error = Some(message);
            drop(state);
            let _ = std::fs::remove_dir_all(&out);
        }
    }
}

fn bind(port: u16) -> Result<(tiny_http::Server, u16)> {
    let mut last_error = None;
    for candidate in port..=port.saturating_add(PORT_TRIES) {
        match tiny_http::Server::http(("127.0.0.1", candidate)) {
            Ok(server) => return Ok((server, candidate)),
            Err(e) => last_error = Some(e),
        }
    }
    bail!(
        "no free port on 127.0.0.1 from {port} to {}: {}",
        port.saturating_add(PORT_TRIES),
        last_error.map(|e| e.to_string()).unwrap_or_default()
    )
}
