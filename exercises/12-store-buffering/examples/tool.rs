//! Maintenance: `cargo run -p ex12-store-buffering --example ex12-tool -- report broken`.

fn main() {
    racebook_workbook::tool::main(ex12_store_buffering::exercise());
}
