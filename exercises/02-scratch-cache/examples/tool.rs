//! Maintenance: `cargo run -p ex02-scratch-cache --example ex02-tool -- report broken`.

fn main() {
    racebook_check::tool::main(ex02_scratch_cache::exercise());
}
