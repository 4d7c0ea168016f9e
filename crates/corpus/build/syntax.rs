//! What the mutation operators look for in a fix's syntax: lock guards, the uses of a
//! variable and writes through it, method calls; and statements shown on one line.

use quote::ToTokens;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, Ident, Pat, Stmt, parse_quote};

/// `let [mut] G = <receiver>.lock()[.await];`
#[derive(Clone)]
pub struct Guard {
    pub name: Ident,
    pub mutable: bool,
    pub init: Expr,
    pub awaited: bool,
    /// The receiver's root variable, e.g. `self` or `counts`.
    pub root: Option<Ident>,
    /// The receiver's last name, e.g. `scratch` in `self.scratch`.
    pub data: String,
}

pub fn guard_of(stmt: &Stmt) -> Option<Guard> {
    let Stmt::Local(local) = stmt else {
        return None;
    };
    let Pat::Ident(p) = &local.pat else {
        return None;
    };
    let init = local.init.as_ref().filter(|i| i.diverge.is_none())?;
    let (call, awaited) = match &*init.expr {
        Expr::Await(a) => (&*a.base, true),
        other => (other, false),
    };
    let Expr::MethodCall(m) = call else {
        return None;
    };
    if m.method != "lock" || !m.args.is_empty() || p.by_ref.is_some() || p.subpat.is_some() {
        return None;
    }
    Some(Guard {
        name: p.ident.clone(),
        mutable: p.mutability.is_some(),
        init: (*init.expr).clone(),
        awaited,
        root: root(&m.receiver),
        data: last_name(&m.receiver),
    })
}

/// The last field or variable an expression names: `self.scratch` → `scratch`.
fn last_name(e: &Expr) -> String {
    match e {
        Expr::Field(f) => match &f.member {
            syn::Member::Named(n) => n.to_string(),
            syn::Member::Unnamed(_) => last_name(&f.base),
        },
        Expr::Path(p) => p
            .path
            .segments
            .last()
            .map_or("call".into(), |s| s.ident.to_string()),
        Expr::MethodCall(m) => last_name(&m.receiver),
        Expr::Paren(p) => last_name(&p.expr),
        _ => "call".into(),
    }
}

/// The variable an expression starts from: `self.a.b[i]` → `self`.
fn root(e: &Expr) -> Option<Ident> {
    match e {
        Expr::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
            Some(p.path.segments[0].ident.clone())
        }
        Expr::Field(f) => root(&f.base),
        Expr::Index(i) => root(&i.expr),
        Expr::MethodCall(m) => root(&m.receiver),
        Expr::Unary(u) => root(&u.expr),
        Expr::Paren(p) => root(&p.expr),
        Expr::Reference(r) => root(&r.expr),
        _ => None,
    }
}

/// Finds uses of a variable, and writes through it, without changing anything.
struct Uses<'a> {
    name: &'a Ident,
    used: bool,
    written: bool,
}

const MUTATING: &[&str] = &[
    "insert",
    "push",
    "push_str",
    "extend",
    "pop",
    "remove",
    "clear",
    "entry",
    "truncate",
    "append",
    "drain",
    "retain",
    "get_mut",
    "iter_mut",
    "swap_remove",
    "sort",
];

impl VisitMut for Uses<'_> {
    fn visit_expr_mut(&mut self, e: &mut Expr) {
        let is_it = |x: &Expr| root(x).as_ref() == Some(self.name);
        match e {
            Expr::Path(p) if p.path.is_ident(self.name) => self.used = true,
            Expr::MethodCall(m) if MUTATING.iter().any(|w| m.method == w) && is_it(&m.receiver) => {
                self.written = true
            }
            Expr::Reference(r) if r.mutability.is_some() && is_it(&r.expr) => self.written = true,
            Expr::Assign(a) if is_it(&a.left) => self.written = true,
            Expr::Binary(b)
                if is_it(&b.left) && b.op.to_token_stream().to_string().ends_with('=') =>
            {
                self.written = true
            }
            _ => {}
        }
        visit_mut::visit_expr_mut(self, e);
    }
}

pub fn uses(stmt: &Stmt, name: &Ident) -> (bool, bool) {
    let mut u = Uses {
        name,
        used: false,
        written: false,
    };
    u.visit_stmt_mut(&mut stmt.clone());
    (u.used, u.written)
}

/// Whether `stmt` assigns a new value to `name` (`guard = condvar.wait(guard)`).
pub fn reassigns(stmt: &Stmt, name: &Ident) -> bool {
    struct Assigns<'a> {
        name: &'a Ident,
        found: bool,
    }
    impl VisitMut for Assigns<'_> {
        fn visit_expr_mut(&mut self, e: &mut Expr) {
            if let Expr::Assign(a) = e
                && matches!(&*a.left, Expr::Path(p) if p.path.is_ident(self.name))
            {
                self.found = true;
            }
            visit_mut::visit_expr_mut(self, e);
        }
    }
    let mut a = Assigns { name, found: false };
    a.visit_stmt_mut(&mut stmt.clone());
    a.found
}

pub fn calls(stmt: &Stmt, method: &str) -> bool {
    struct Calls<'a>(&'a str, bool);
    impl VisitMut for Calls<'_> {
        fn visit_expr_method_call_mut(&mut self, m: &mut syn::ExprMethodCall) {
            self.1 |= m.method == self.0;
            visit_mut::visit_expr_method_call_mut(self, m);
        }
    }
    let mut c = Calls(method, false);
    c.visit_stmt_mut(&mut stmt.clone());
    c.1
}

/// Every use of variable `name` in `stmt` replaced by `(with)`.
pub fn replace_var(stmt: &mut Stmt, name: &Ident, with: &Expr) {
    struct Replace<'a>(&'a Ident, &'a Expr);
    impl VisitMut for Replace<'_> {
        fn visit_expr_mut(&mut self, e: &mut Expr) {
            let with = self.1;
            // `&guard` and `&mut guard` become a borrow of the guarded value itself, which is
            // what a function taking the value expects.
            if let Expr::Reference(r) = e {
                if matches!(&*r.expr, Expr::Path(p) if p.path.is_ident(self.0)) {
                    *r.expr = parse_quote!(*(#with));
                    return;
                }
            }
            if matches!(e, Expr::Path(p) if p.path.is_ident(self.0)) {
                *e = parse_quote!((#with));
                return;
            }
            visit_mut::visit_expr_mut(self, e);
        }
    }
    Replace(name, with).visit_stmt_mut(stmt);
}

pub fn semi(stmt: &Stmt) -> bool {
    matches!(stmt, Stmt::Expr(_, Some(_)))
}

/// A statement on one line, as the table shows it.
pub fn show(tokens: &impl ToTokens) -> String {
    let text = tokens.to_token_stream().to_string();
    let text = text
        .replace(" . ", ".")
        .replace(" (", "(")
        .replace("( ", "(")
        .replace(" )", ")")
        .replace(" ,", ",")
        .replace(" ;", ";")
        .replace("& ", "&")
        .replace(" [", "[")
        .replace("[ ", "[")
        .replace(" ]", "]")
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" ?", "?");
    let text = text
        .strip_prefix("* ")
        .map_or(text.clone(), |t| format!("*{t}"));
    if text.chars().count() > 70 {
        let cut: String = text.chars().take(69).collect();
        format!("{cut}…")
    } else {
        text
    }
}
