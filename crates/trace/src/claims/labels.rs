//! The visualizer's short labels for claims.

use super::Claim;

/// A short label for the bracket that joins a claim's steps in the visualizer.
pub fn label(claim: &Claim) -> &'static str {
    match claim {
        Claim::Unordered { .. } => "no happens-before",
        Claim::StaleLoad { .. } => "a load that missed a store",
        Claim::OverwrittenAndLost { .. } => "overwritten before anyone read it",
        Claim::TwoUpdatesCountOnce { .. } => "two updates, one change",
        Claim::SplitByForeignWrite { .. } => "another write between two steps",
        Claim::CheckThenAct { .. } => "checked, changed, then acted on",
        Claim::OverwrittenUnread { .. } => "overwritten before anyone read it",
        Claim::SelfDeadlock { .. } => "a lock asked for again by the thread that holds it",
        Claim::Futurelock { .. } => "a lock held by a future its own task no longer polls",
        Claim::DroppedInSelect { .. } => "received, then dropped with the select! branch that lost",
        Claim::Aba { .. } => "changed and changed back (ABA)",
        _ => "the last pair of accesses",
    }
}
