//! Maintenance: `cargo run -p ex11-cancel-batch --example ex11-tool -- report broken`.

fn main() {
    racebook_workbook::tool::main(ex11_cancel_batch::exercise());
}
