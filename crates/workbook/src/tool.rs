//! The per-exercise maintenance tool, run as `cargo run -p <exercise> --example tool -- ...`:
//! print a variant's report (the book captures these), and regenerate stored schedules.

use crate::bench::{self, BenchOptions};
use crate::exercise::{Exercise, Role};
use crate::learner::check_variant;
use crate::outcome::Status;
use racebook_check::engines::real::{self, StressLimits};
use racebook_check::report::Style;
use racebook_check::report::count;
use racebook_check::schedule_file::ScheduleFile;
use racebook_check::search;
use racebook_check::terminal::say;
use std::io::IsTerminal;
use std::path::Path;
use std::time::Duration;

const USAGE: &str = "usage: tool report <variant>\n       tool replay <schedule file>\n       tool store-schedules <exercise dir>\n       tool export <out dir>\n       tool stress [--seconds N] [--variant V]\n       tool bench [--seeds N] [--stress-seconds N] [--json]";

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
        ["replay", file] => replay(&ex, Path::new(file)),
        ["stress", rest @ ..] => stress(&ex, rest),
        ["export", dir] => match crate::export::export(&ex, Path::new(dir)) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("export of {} failed: {e}", ex.slug);
                1
            }
        },
        ["bench", rest @ ..] => bench(&ex, rest),
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

/// Replay a stored schedule on the variant it names and print the report.
fn replay(ex: &Exercise, file: &Path) -> i32 {
    let variant = match ScheduleFile::read(file) {
        Ok(s) => s.variant,
        Err(e) => {
            eprintln!("{e}");
            return 2;
        }
    };
    let Some(v) = ex.variant(&variant) else {
        eprintln!(
            "{} has no variant `{variant}` (named in {})",
            ex.slug,
            file.display()
        );
        return 2;
    };
    let (gone, text) = crate::learner::replay_stored(
        ex,
        v,
        file,
        &ex.budgets,
        Style {
            color: false,
            verbose: false,
        },
    );
    say(&text);
    i32::from(!gone)
}

/// Find, minimize and store a failing schedule of every broken variant, per engine that
/// should catch it: `schedules/<variant>.<engine>.json`.
fn store_schedules(ex: &Exercise, dir: &Path) -> i32 {
    let mut code = 0;
    for v in ex.variants.iter().filter(|v| v.role == Role::Broken) {
        for &engine in v.caught_by {
            let s = search::search(ex.shape, &v.scenario(), &ex.budgets, &[engine]);
            match s.shown {
                Some(shown) => {
                    let f = &shown.found;
                    // A loom execution that was not minimized has its switches counted on a
                    // recorded run.
                    let preemptions = if f.preemptions == search::UNKNOWN_PREEMPTIONS {
                        racebook_check::tracebuild::record_trace(
                            ex.slug,
                            v.name,
                            &v.scenario(),
                            f,
                            None,
                            &ex.budgets,
                        )
                        .map_or(0, |t| t.schedule.preemptions)
                    } else {
                        f.preemptions
                    };
                    let file = ScheduleFile::new(
                        ex.slug,
                        v.name,
                        &f.schedule,
                        preemptions,
                        f.spurious,
                        &f.failure,
                    );
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

/// `--name value` from an argument list.
fn flag<'a>(args: &[&'a str], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| *a == name)
        .and_then(|i| args.get(i + 1))
        .copied()
}

fn seconds(args: &[&str], name: &str, default: f64) -> Result<Duration, String> {
    match flag(args, name) {
        None => Ok(Duration::from_secs_f64(default)),
        Some(v) => v
            .parse::<f64>()
            .ok()
            .filter(|s| *s > 0.0 && *s < 86_400.0)
            .map(Duration::from_secs_f64)
            .ok_or_else(|| format!("{name} takes a number of seconds, not {v:?}")),
    }
}

/// The heisenbug demo: the broken version on real threads for a while, then the harness.
fn stress(ex: &Exercise, args: &[&str]) -> i32 {
    let budget = match seconds(args, "--seconds", 5.0) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{e}");
            return 2;
        }
    };
    let name = flag(args, "--variant").unwrap_or("broken");
    let Some(v) = ex.variant(name) else {
        eprintln!("{} has no variant `{name}`", ex.slug);
        return 2;
    };
    let tty = std::io::stderr().is_terminal();
    let (mut runs, mut failures, mut hung) = (0u64, 0u64, false);
    let start = std::time::Instant::now();
    while start.elapsed() < budget && !hung {
        let slice = budget
            .saturating_sub(start.elapsed())
            .min(Duration::from_millis(250));
        let r = real::stress(
            &v.scenario(),
            StressLimits {
                runs: u64::MAX,
                time: slice,
            },
        );
        runs += r.runs;
        failures += r.failures;
        hung = r.hung;
        if tty {
            let done = (start.elapsed().as_secs_f64() / budget.as_secs_f64()).min(1.0);
            let bar = "#".repeat((done * 30.0) as usize);
            eprint!(
                "\r[{bar:<30}] {} runs, {} failed",
                count(runs),
                count(failures)
            );
        }
    }
    if tty {
        eprintln!();
    }
    let rate = if runs == 0 {
        0.0
    } else {
        failures as f64 / runs as f64
    };
    println!(
        "real threads   {}/{name}: {} failures in {} runs in {:.1} s (rate {rate:.6}){}",
        ex.slug,
        count(failures),
        count(runs),
        start.elapsed().as_secs_f64(),
        if hung {
            "; a run hung and was abandoned"
        } else {
            ""
        }
    );
    // The harness's own search, every engine that applies, as the learner's check runs it:
    // a bug only loom's memory model shows is named as loom's, never as "no failure".
    let s = search::search(ex.shape, &v.scenario(), &ex.budgets, ex.engines());
    match &s.shown {
        Some(shown) => {
            let trace = racebook_check::tracebuild::record_trace(
                ex.slug,
                v.name,
                &v.scenario(),
                &shown.found,
                None,
                &ex.budgets,
            );
            println!(
                "the harness    {}, and replays the same way every time",
                racebook_check::report::found_line(&s, shown, trace.as_ref().ok())
            )
        }
        None => {
            let searched: Vec<String> = s
                .explorations
                .iter()
                .map(|e| {
                    format!(
                        "{} {} {} schedules",
                        e.engine.label(),
                        e.strategy,
                        count(e.schedules)
                    )
                })
                .collect();
            println!("the harness    no failure: {}", searched.join("; "));
        }
    }
    0
}

/// The benchmark table of this exercise (or JSON with `--json`).
fn bench(ex: &Exercise, args: &[&str]) -> i32 {
    let seeds = match flag(args, "--seeds").map(str::parse::<usize>) {
        None => 100,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            eprintln!("--seeds takes a positive whole number");
            return 2;
        }
    };
    let stress = match seconds(args, "--stress-seconds", 5.0) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{e}");
            return 2;
        }
    };
    let b = bench::run(ex, BenchOptions { seeds, stress });
    if args.contains(&"--json") {
        println!("{}", serde_json::to_string_pretty(&b).expect("serializes"));
    } else {
        print!("{}", bench::table(&b));
    }
    0
}
