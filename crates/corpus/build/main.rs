//! Generates the mutant corpus: every site of every mutation operator in every reference fix
//! of every exercise this crate depends on, each as a module of its own, and a table that wires
//! each one into its exercise's scenario the way the exercise wires the fix. The output is
//! `$OUT_DIR/mutants.rs`, compiled once with the crate.

use quote::{format_ident, quote};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, File, Ident};

mod mutate;
mod syntax;
use mutate::Operator;

/// An exercise this crate depends on: its crate name and folder.
struct Listed {
    krate: String,
    dir: PathBuf,
}

fn main() {
    let here = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let manifest = here.join("Cargo.toml");
    println!("cargo:rerun-if-changed={}", manifest.display());
    println!("cargo:rerun-if-changed=build");
    let listed = listed_exercises(&manifest, &here);
    let mut modules = String::new();
    let mut table = String::new();
    for ex in &listed {
        for (fix, wiring) in reference_fixes(&ex.dir.join("src/lib.rs")) {
            let path = ex.dir.join("src").join(format!("{fix}.rs"));
            println!("cargo:rerun-if-changed={}", path.display());
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let original: File =
                syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            for op in Operator::ALL {
                for k in 0..mutate::count(&original, op) {
                    let mut file = original.clone();
                    let site = mutate::apply(&mut file, op, k).expect("counted");
                    let name = format!(
                        "{}_{fix}_{}_{}",
                        ex.krate.split('_').next().unwrap_or("ex"),
                        op.slug(),
                        k + 1
                    );
                    emit_module(&mut modules, &name, file, &ex.krate);
                    emit_entry(&mut table, &name, ex, &fix, op, &site, &wiring);
                }
            }
        }
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("mutants.rs");
    let listed_names: Vec<String> = listed.iter().map(|l| format!("{:?}", l.krate)).collect();
    let listed_fns: Vec<String> = listed
        .iter()
        .map(|l| format!("::{}::exercise", l.krate))
        .collect();
    let code = format!(
        "{modules}\n/// Every mutant, in the order generated.\npub fn all() -> Vec<Mutant> {{\n    vec![\n{table}    ]\n}}\n\n/// The exercise crates the corpus was generated from.\npub const EXERCISES: &[&str] = &[{}];\n\n/// Every exercise this crate depends on.\npub fn exercises() -> Vec<fn() -> ::racebook_workbook::Exercise> {{\n    vec![{}]\n}}\n",
        listed_names.join(", "),
        listed_fns.join(", ")
    );
    std::fs::write(&out, code).expect("OUT_DIR is writable");
}

/// The exercises named in this crate's `[dependencies]`, by their `path`.
fn listed_exercises(manifest: &Path, here: &Path) -> Vec<Listed> {
    let text = std::fs::read_to_string(manifest).expect("the manifest is readable");
    text.lines()
        .filter_map(|l| {
            let (name, rest) = l.split_once('=')?;
            let name = name.trim();
            let path = rest.split("path = \"").nth(1)?.split('"').next()?;
            (path.contains("exercises/")).then(|| Listed {
                krate: name.replace('-', "_"),
                dir: here.join(path),
            })
        })
        .collect()
}

/// Each `Variant::fix("name", wiring)` of an exercise's `lib.rs`.
fn reference_fixes(lib: &Path) -> Vec<(String, Expr)> {
    println!("cargo:rerun-if-changed={}", lib.display());
    let text = std::fs::read_to_string(lib).unwrap_or_else(|e| panic!("{}: {e}", lib.display()));
    let mut file: File =
        syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", lib.display()));
    struct Fixes(Vec<(String, Expr)>);
    impl VisitMut for Fixes {
        fn visit_expr_call_mut(&mut self, c: &mut syn::ExprCall) {
            let is_fix = matches!(&*c.func, Expr::Path(p) if {
                let s: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
                s.ends_with(&["Variant".to_string(), "fix".to_string()])
            });
            if let (true, Some(Expr::Lit(lit)), Some(wiring)) =
                (is_fix, c.args.first(), c.args.get(1))
            {
                if let syn::Lit::Str(name) = &lit.lit {
                    self.0.push((name.value(), wiring.clone()));
                }
            }
            visit_mut::visit_expr_call_mut(self, c);
        }

        /// The variants sit in a `vec![...]`, whose tokens syn leaves unparsed.
        fn visit_macro_mut(&mut self, m: &mut syn::Macro) {
            let parser = syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated;
            if let Ok(items) = m.parse_body_with(parser) {
                for mut e in items {
                    self.visit_expr_mut(&mut e);
                }
            }
        }
    }
    let mut fixes = Fixes(Vec::new());
    fixes.visit_file_mut(&mut file);
    fixes.0
}

/// `crate::` in a fix means its exercise's crate.
struct FromOutside(Ident);

impl VisitMut for FromOutside {
    fn visit_item_use_mut(&mut self, u: &mut syn::ItemUse) {
        if let syn::UseTree::Path(p) = &mut u.tree {
            if p.ident == "crate" {
                p.ident = self.0.clone();
                u.leading_colon = Some(Default::default());
            }
        }
        visit_mut::visit_item_use_mut(self, u);
    }

    fn visit_path_mut(&mut self, p: &mut syn::Path) {
        if p.segments.first().is_some_and(|s| s.ident == "crate") {
            p.segments[0].ident = self.0.clone();
            p.leading_colon = Some(Default::default());
        }
        visit_mut::visit_path_mut(self, p);
    }
}

fn emit_module(out: &mut String, name: &str, mut file: File, krate: &str) {
    file.attrs.clear();
    FromOutside(format_ident!("{krate}")).visit_file_mut(&mut file);
    let body = prettyplease::unparse(&file);
    let _ = writeln!(
        out,
        "#[allow(warnings, clippy::all)]\npub mod {name} {{\n{body}}}\n"
    );
}

/// The fix's wiring with the fix's module replaced by the mutant's, and every other path made
/// to start from the exercise's crate.
struct Rewire {
    fix: String,
    module: Ident,
    krate: Ident,
}

impl VisitMut for Rewire {
    fn visit_path_mut(&mut self, p: &mut syn::Path) {
        visit_mut::visit_path_mut(self, p);
        if p.leading_colon.is_some() {
            return;
        }
        let first = p.segments[0].ident.to_string();
        if first == self.fix {
            p.segments[0].ident = self.module.clone();
            p.segments.insert(0, format_ident!("crate").into());
        } else if !matches!(first.as_str(), "crate" | "std" | "core" | "self" | "Self") {
            p.segments.insert(0, self.krate.clone().into());
            p.leading_colon = Some(Default::default());
        }
    }
}

fn emit_entry(
    out: &mut String,
    name: &str,
    ex: &Listed,
    fix: &str,
    op: Operator,
    site: &str,
    wiring: &Expr,
) {
    let mut wiring = wiring.clone();
    let krate = format_ident!("{}", ex.krate);
    Rewire {
        fix: fix.to_string(),
        module: format_ident!("{name}"),
        krate: krate.clone(),
    }
    .visit_expr_mut(&mut wiring);
    let variant = format!("mutant-{}", name.replace('_', "-"));
    let (words, slug) = (op.words(), op.slug());
    let entry = quote! {
        Mutant {
            id: #name,
            exercise: ::#krate::exercise,
            fix: #fix,
            operator: #words,
            operator_slug: #slug,
            site: #site,
            variant: ::racebook_workbook::Variant::wrong(#variant, #wiring),
        },
    };
    let _ = writeln!(out, "        {entry}");
}
