//! Maintenance: `cargo run -p ex02-scratch-cache --example ex02-tool -- report broken`.

fn main() {
    racebook_workbook::tool::main(ex02_scratch_cache::exercise());
}
