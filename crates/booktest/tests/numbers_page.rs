//! The numbers page must be regenerated (`cargo xtask bench --write-page`) whenever an exercise
//! is added, removed or changed.

use racebook_booktest::numbers;
use std::path::Path;

#[test]
fn the_numbers_page_is_current() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    if let Some(why) = numbers::stale(&root) {
        panic!("{why}: run `cargo xtask bench --write-page` and commit the page");
    }
}
