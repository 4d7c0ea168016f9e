//! Maintenance: `cargo run -p ex08-refcount --example ex08-tool -- report broken`.

fn main() {
    racebook_workbook::tool::main(ex08_refcount::exercise());
}
