//! Print the report of every mutant whose id contains the argument, with its claims checked:
//! `cargo run -p racebook-corpus --example show -- ex04_fixed_seqcst_relaxed_5`.

fn main() {
    let want = std::env::args().nth(1).unwrap_or_default();
    for m in racebook_corpus::all()
        .iter()
        .filter(|m| m.id.contains(&want))
    {
        let j = racebook_corpus::judge::judge(m);
        println!("=== {} ({:?})\n{}\n{}", m.id, j.status, m.site, j.report);
        for (c, r) in &j.claims {
            println!("claim {c:?}: {r:?}");
        }
    }
}
