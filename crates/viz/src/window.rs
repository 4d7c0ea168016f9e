//! Which steps the lanes table shows: a window of at most `rows` rows around the current step.
//! Normally the window is centred on it, so each step scrolls the table by a row. A reader who
//! asked for reduced motion gets pages instead: the rows stay put while the current step moves
//! down them, and the window turns a whole page only when the step leaves it.

/// How the window follows the current step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Follow {
    /// The current step in the middle (each step moves every row).
    Centre,
    /// Whole pages of `rows` steps (the rows hold still; for reduced motion).
    Page,
}

/// Steps `start..end` shown out of `total` after `position` steps, with at most `rows` rows
/// (0: all of them).
pub fn shown(total: usize, position: usize, rows: usize, follow: Follow) -> (usize, usize) {
    if rows == 0 || total <= rows {
        return (0, total);
    }
    let current = position.saturating_sub(1).min(total - 1);
    let start = match follow {
        Follow::Centre => current.saturating_sub(rows / 2),
        Follow::Page => current / rows * rows,
    }
    .min(total - rows);
    (start, start + rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn centred_windows_follow_the_current_step() {
        assert_eq!(shown(18, 0, 6, Follow::Centre), (0, 6));
        assert_eq!(shown(18, 10, 6, Follow::Centre), (6, 12));
        assert_eq!(shown(18, 11, 6, Follow::Centre), (7, 13));
        assert_eq!(shown(18, 18, 6, Follow::Centre), (12, 18));
        assert_eq!(shown(4, 3, 6, Follow::Centre), (0, 4));
        assert_eq!(shown(18, 5, 0, Follow::Centre), (0, 18));
    }

    #[test]
    fn paged_windows_hold_still_until_the_step_leaves_the_page() {
        let pages: Vec<_> = (0..=20).map(|p| shown(20, p, 6, Follow::Page).0).collect();
        // Positions 0..=6 show steps 1..6 (the first page); 7..=12 the second, and so on; the
        // last page is pulled back so that it is full.
        assert_eq!(
            pages,
            [
                0, 0, 0, 0, 0, 0, 0, 6, 6, 6, 6, 6, 6, 12, 12, 12, 12, 12, 12, 14, 14
            ]
        );
    }
}
