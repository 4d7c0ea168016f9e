//! Maintenance: `cargo run -p ex02-scratch-cache --example tool -- report broken`.

fn main() {
    racebook_check::tool::main(ex02_scratch_cache::exercise());
}
