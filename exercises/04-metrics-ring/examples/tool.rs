//! Maintenance: `cargo run -p ex04-metrics-ring --example ex04-tool -- report broken`.

fn main() {
    racebook_workbook::tool::main(ex04_metrics_ring::exercise());
}
