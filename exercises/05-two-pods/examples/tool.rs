//! Maintenance: `cargo run -p ex05-two-pods --example ex05-tool -- report broken`.

fn main() {
    racebook_workbook::tool::main(ex05_two_pods::exercise());
}
