//! The per-exercise maintenance tool, run as `cargo run -p <exercise> --example tool -- ...`:
//! print a variant's report (the book captures these), and regenerate stored schedules.

use crate::exercise::{Exercise, Role};
use crate::learner::{check_variant, say};
use crate::outcome::Status;
use crate::report::Style;
use crate::schedule_file::ScheduleFile;
use crate::search;
use std::path::Path;

const USAGE: &str = "usage: tool report <variant> | tool store-schedules <exercise dir>";

/// Entry point for an exercise's `examples/tool.rs`. Exits 1 on a red report or an error.
pub fn main(ex: Exercise) {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["report", variant] => report(&ex, variant),
        ["store-schedules", dir] => store_schedules(&ex, Path::new(dir)),
        _ => {
            eprintln!("{USAGE}");
            2
        }
    };
    std::process::exit(code);
}

fn report(ex: &Exercise, name: &str) -> i32 {
    let Some(v) = ex.variant(name) else {
        let names: Vec<&str> = ex.variants.iter().map(|v| v.name).collect();
        eprintln!(
            "{} has no variant `{name}`; it has: {}",
            ex.slug,
            names.join(", ")
        );
        return 2;
    };
    let style = Style {
        color: false,
        verbose: std::env::var_os("RACEBOOK_VERBOSE").is_some(),
    };
    let (outcome, text) = check_variant(ex, v, &ex.budgets, style);
    say(&text);
    i32::from(outcome.status != Status::Green)
}

/// Find, minimize and store a failing schedule of every broken variant, per engine that
/// should catch it: `schedules/<variant>.<engine>.json`.
fn store_schedules(ex: &Exercise, dir: &Path) -> i32 {
    let mut code = 0;
    for v in ex.variants.iter().filter(|v| v.role == Role::Broken) {
        for &engine in v.caught_by {
            let s = search::search(ex, v, &ex.budgets, &[engine]);
            match s.shown {
                Some(shown) => {
                    let f = &shown.found;
                    let file =
                        ScheduleFile::new(ex.slug, v.name, &f.schedule, f.preemptions, &f.failure);
                    let path =
                        dir.join("schedules")
                            .join(format!("{}.{}.json", v.name, engine.label()));
                    match file.write(&path) {
                        Ok(()) => println!("wrote {}", path.display()),
                        Err(e) => {
                            eprintln!("cannot write {}: {e}", path.display());
                            code = 1;
                        }
                    }
                }
                None => {
                    eprintln!(
                        "{}/{}: {} found no failure",
                        ex.slug,
                        v.name,
                        engine.label()
                    );
                    code = 1;
                }
            }
        }
    }
    code
}
