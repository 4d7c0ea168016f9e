//! Time as the command records and shows it: seconds since the Unix epoch in the state file,
//! RFC 3339 in reports, a compact UTC stamp in file names, and "5 min ago" in the list.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn system_time(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

/// `2025-03-01T09:30:00Z`.
pub fn rfc3339(secs: u64) -> String {
    humantime::format_rfc3339_seconds(system_time(secs)).to_string()
}

/// `20250301T093000Z`: sorts by time and is a valid file name everywhere.
pub fn file_stamp(secs: u64) -> String {
    rfc3339(secs).replace(['-', ':'], "")
}

/// How long ago, roughly: `just now`, `12 min ago`, `3 h ago`, `2 days ago`.
pub fn ago(secs: u64, now: u64) -> String {
    let d = now.saturating_sub(secs);
    match d {
        0..60 => "just now".into(),
        60..3600 => format!("{} min ago", d / 60),
        3600..86_400 => format!("{} h ago", d / 3600),
        _ => format!("{} days ago", d / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_and_ages() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(file_stamp(86_400 + 61), "19700102T000101Z");
        assert_eq!(ago(100, 130), "just now");
        assert_eq!(ago(0, 7200), "2 h ago");
        assert_eq!(ago(0, 3 * 86_400), "3 days ago");
    }
}
