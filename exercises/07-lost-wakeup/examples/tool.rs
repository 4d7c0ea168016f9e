//! Maintenance: `cargo run -p ex07-lost-wakeup --example ex07-tool -- report broken`.

fn main() {
    racebook_workbook::tool::main(ex07_lost_wakeup::exercise());
}
