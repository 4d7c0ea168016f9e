//! Maintenance: `cargo run -p ex04-metrics-ring --example ex04-tool -- report broken`.

fn main() {
    racebook_check::tool::main(ex04_metrics_ring::exercise());
}
