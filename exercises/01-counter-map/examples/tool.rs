//! Maintenance: `cargo run -p ex01-counter-map --example ex01-tool -- report broken`.

fn main() {
    racebook_check::tool::main(ex01_counter_map::exercise());
}
