//! The learner's check: red with the failing interleaving until `src/exercise.rs` is fixed.

#[test]
fn exercise_is_fixed() -> Result<(), racebook_workbook::learner::NotFixed> {
    racebook_workbook::learner::check(&ex11_cancel_batch::exercise())
}
