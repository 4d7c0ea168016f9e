use racebook_check::schedule_file::ScheduleFile;
use racebook_check::search::with_wall_clock;
use racebook_check::tracebuild;
use std::time::Instant;

fn main() {
    let exercises: Vec<(fn() -> racebook_check::Exercise, &str)> = vec![
        (ex01_counter_map::exercise, "01-counter-map"),
        (ex02_scratch_cache::exercise, "02-scratch-cache"),
        (ex03_corrupt_json::exercise, "03-corrupt-json"),
        (ex04_metrics_ring::exercise, "04-metrics-ring"),
        (ex05_two_pods::exercise, "05-two-pods"),
    ];
    for (make, dir) in exercises {
        let ex = make();
        let root = racebook_check::record::workspace_root()
            .join("exercises")
            .join(dir);
        for f in racebook_check::verify::schedule_files(&root) {
            let stored = ScheduleFile::read(&f).unwrap();
            let payload = stored.payload().unwrap();
            for v in &ex.variants {
                let v = *v;
                let p = payload.clone();
                let b = ex.budgets;
                let t = Instant::now();
                let r = with_wall_clock(std::time::Duration::from_secs(30), move || {
                    tracebuild::replay(&v, &p, &b)
                });
                let el = t.elapsed();
                let what = match r {
                    None => "TIMEOUT".to_string(),
                    Some(r) => format!(
                        "stale={} overran={} failure={:?}",
                        r.stale,
                        r.overran,
                        r.failure.map(|f| (f.kind, f.invariant, f.message))
                    ),
                };
                println!(
                    "{:>8.1} ms  {} {} on {}: {}",
                    el.as_secs_f64() * 1000.0,
                    dir,
                    f.file_name().unwrap().to_string_lossy(),
                    v.name,
                    what
                );
            }
        }
    }
}
