//! Maintenance: `cargo run -p ex09-aba-stack --example ex09-tool -- report broken`.

fn main() {
    racebook_workbook::tool::main(ex09_aba_stack::exercise());
}
