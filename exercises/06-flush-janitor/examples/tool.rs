//! Maintenance: `cargo run -p ex06-flush-janitor --example ex06-tool -- report broken`.

fn main() {
    racebook_workbook::tool::main(ex06_flush_janitor::exercise());
}
