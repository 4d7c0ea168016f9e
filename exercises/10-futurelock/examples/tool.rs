//! Maintenance: `cargo run -p ex10-futurelock --example ex10-tool -- report broken`.

fn main() {
    racebook_workbook::tool::main(ex10_futurelock::exercise());
}
