//! Maintenance: `cargo run -p ex03-corrupt-json --example ex03-tool -- report broken`.

fn main() {
    racebook_workbook::tool::main(ex03_corrupt_json::exercise());
}
