//! The command line of the exercises' stress examples: a time budget in, failure shares out.

/// The seconds per row from the command line, as `--seconds N` or a bare `N` (0 < N ≤ 600),
/// or `default` when none is given.
pub fn seconds(default: f64) -> Result<f64, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    seconds_from(&args, default)
}

fn seconds_from(args: &[String], default: f64) -> Result<f64, String> {
    let n = match args {
        [] => return Ok(default),
        [flag, n] if flag == "--seconds" => n,
        [n] => n,
        _ => return Err(format!("unexpected arguments: {}", args.join(" "))),
    };
    n.parse::<f64>()
        .ok()
        .filter(|s| *s > 0.0 && *s <= 600.0)
        .ok_or_else(|| format!("the time per row is a number of seconds up to 600, not {n:?}"))
}

/// `part` as a share of `whole`, to four decimals, since a stress rate is often tiny.
pub fn share(part: u64, whole: u64) -> String {
    if whole == 0 {
        "-".into()
    } else {
        format!("{:.4}%", part as f64 * 100.0 / whole as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn seconds_come_as_a_flag_or_bare_and_bad_ones_are_named() {
        assert_eq!(seconds_from(&args(&[]), 2.0), Ok(2.0));
        assert_eq!(seconds_from(&args(&["--seconds", "5"]), 2.0), Ok(5.0));
        assert_eq!(seconds_from(&args(&["10"]), 2.0), Ok(10.0));
        for bad in [
            &["0"][..],
            &["601"],
            &["ten"],
            &["--seconds"],
            &["1", "2", "3"],
        ] {
            let e = seconds_from(&args(bad), 2.0).unwrap_err();
            assert!(e.contains("seconds") || e.contains("unexpected"), "{e}");
        }
    }

    #[test]
    fn shares_keep_small_rates_visible() {
        assert_eq!(share(0, 0), "-");
        assert_eq!(share(42, 57_460), "0.0731%");
        assert_eq!(share(1, 2), "50.0000%");
    }
}
