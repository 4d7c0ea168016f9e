//! Small text helpers shared by the timeline and the analysis.

/// At most `max` characters of `s`, with an ellipsis when something was cut.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// The display width of `s` in a monospace terminal, counting every char as one column.
pub fn width(s: &str) -> usize {
    s.chars().count()
}

/// `s` padded with spaces to `w` columns.
pub fn pad(s: &str, w: usize) -> String {
    let n = width(s);
    if n >= w {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(w - n))
    }
}
