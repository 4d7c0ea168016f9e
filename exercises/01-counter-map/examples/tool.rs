//! Maintenance: `cargo run -p ex01-counter-map --example ex01-tool -- report broken`.

fn main() {
    racebook_workbook::tool::main(ex01_counter_map::exercise());
}
