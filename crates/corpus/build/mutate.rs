//! The mutation operators, on the syntax tree of a reference fix. Each operator has sites,
//! found in a fixed order (blocks inner first, statements and expressions in source order);
//! `apply(file, op, k)` changes the `k`-th site and says what it changed.

use crate::syntax::{Guard, calls, guard_of, reassigns, replace_var, semi, show, uses};
use quote::format_ident;
use syn::visit_mut::{self, VisitMut};
use syn::{Block, Expr, File, Stmt, parse_quote};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operator {
    /// Release a lock between two statements of its critical section and take it again.
    Split,
    /// Move the first write through a guard to before the guard, under a lock of its own.
    MoveWrite,
    /// Remove a critical section's guard: every access takes the lock by itself.
    PerAccess,
    /// As `PerAccess`, inside a lock made on every call.
    PerCall,
    /// One `Acquire`, `Release`, `AcqRel` or `SeqCst` made `Relaxed`.
    Weaken,
    /// Swap two neighbouring statements, one of them an atomic store.
    Swap,
    /// A `fetch_add` or `fetch_sub` made a load and a separate store.
    SplitRmw,
}

impl Operator {
    pub const ALL: [Operator; 7] = [
        Operator::Split,
        Operator::MoveWrite,
        Operator::PerAccess,
        Operator::PerCall,
        Operator::Weaken,
        Operator::Swap,
        Operator::SplitRmw,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Operator::Split => "split",
            Operator::MoveWrite => "move_write",
            Operator::PerAccess => "remove_lock",
            Operator::PerCall => "lock_per_call",
            Operator::Weaken => "relaxed",
            Operator::Swap => "swap",
            Operator::SplitRmw => "split_rmw",
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            Operator::Split => "split a critical section in two",
            Operator::MoveWrite => "move a write out of its lock",
            Operator::PerAccess => "remove a lock (each access locks alone)",
            Operator::PerCall => "make the lock per call",
            Operator::Weaken => "weaken one ordering to Relaxed",
            Operator::Swap => "swap a publish and a write",
            Operator::SplitRmw => "split an atomic update into a load and a store",
        }
    }
}

/// How many sites `op` has in `file`.
pub fn count(file: &File, op: Operator) -> usize {
    let mut a = Applier::new(op, usize::MAX);
    a.visit_file_mut(&mut file.clone());
    a.seen
}

/// Change the `k`-th site of `op`; the site in words, or `None` when there is no such site.
pub fn apply(file: &mut File, op: Operator, k: usize) -> Option<String> {
    let mut a = Applier::new(op, k);
    a.visit_file_mut(file);
    a.done
}

struct Applier {
    op: Operator,
    k: usize,
    seen: usize,
    done: Option<String>,
    func: String,
}

impl Applier {
    fn new(op: Operator, k: usize) -> Applier {
        Applier {
            op,
            k,
            seen: 0,
            done: None,
            func: String::new(),
        }
    }

    /// Count a site; true when it is the one to change.
    fn hit(&mut self) -> bool {
        let hit = self.seen == self.k;
        self.seen += 1;
        hit
    }

    fn block(&mut self, b: &mut Block) {
        let stmts = &b.stmts;
        let guards: Vec<(usize, Guard)> = stmts
            .iter()
            .enumerate()
            .filter_map(|(i, s)| guard_of(s).map(|g| (i, g)))
            .collect();
        let no_local =
            |from: usize, to: usize| !stmts[from..to].iter().any(|s| matches!(s, Stmt::Local(_)));
        let mut change = None;
        for (g, guard) in guards {
            let name = &guard.name;
            // A guard handed to a condvar and taken back (`guard = ready.wait(guard)`) is the
            // wait's own: without it the mutant would not compile, and a split around a wait is
            // not a mechanical change.
            if stmts.iter().any(|s| reassigns(s, name)) {
                continue;
            }
            let shadows = guard.root.as_ref() == Some(name);
            let op = self.op;
            match op {
                Operator::Split if !shadows => {
                    for (i, later) in stmts.iter().enumerate().skip(g + 2) {
                        if no_local(g + 1, i) && uses(later, name).0 && self.hit() {
                            let desc =
                                format!("drop {name} and lock again before `{}`", show(later));
                            change = Some((
                                desc,
                                Change::Relock {
                                    at: i,
                                    g: guard.clone(),
                                },
                            ));
                        }
                    }
                }
                Operator::MoveWrite => {
                    let j = (g + 1..stmts.len())
                        .find(|&j| semi(&stmts[j]) && uses(&stmts[j], name).1)
                        .filter(|&j| no_local(g + 1, j));
                    if let Some(j) = j.filter(|_| self.hit()) {
                        let desc =
                            format!("`{}` moved before `{}`", show(&stmts[j]), show(&stmts[g]));
                        change = Some((
                            desc,
                            Change::MoveBefore {
                                from: j,
                                g,
                                guard: guard.clone(),
                            },
                        ));
                    }
                }
                Operator::PerAccess | Operator::PerCall if self.hit() => {
                    let per_call = op == Operator::PerCall;
                    let how = if per_call {
                        "replaced by a lock made on every call, each access locking alone"
                    } else {
                        "removed, each access locking alone"
                    };
                    let desc = format!("`{}` {how}", show(&stmts[g]));
                    change = Some((
                        desc,
                        Change::Unguard {
                            g,
                            guard: guard.clone(),
                            per_call,
                        },
                    ));
                }
                _ => {}
            }
        }
        if self.op == Operator::Swap {
            for (i, pair) in stmts.windows(2).enumerate() {
                let (a, b) = (&pair[0], &pair[1]);
                if semi(a) && semi(b) && (calls(a, "store") || calls(b, "store")) && self.hit() {
                    let desc = format!("`{}` and `{}` swapped", show(a), show(b));
                    change = Some((desc, Change::Swap(i)));
                }
            }
        }
        if let Some((desc, c)) = change {
            c.make(&mut b.stmts);
            self.done = Some(format!("fn {}: {desc}", self.func));
        }
    }
}

/// One change to a block's statements.
enum Change {
    /// Drop the guard and take it again before statement `at`.
    Relock {
        at: usize,
        g: Guard,
    },
    /// Move statement `from` before the guard at `g`, under a lock of its own.
    MoveBefore {
        from: usize,
        g: usize,
        guard: Guard,
    },
    /// Remove the guard at `g`: every use locks by itself, inside a per-call lock or not.
    Unguard {
        g: usize,
        guard: Guard,
        per_call: bool,
    },
    Swap(usize),
}

impl Change {
    fn make(self, s: &mut Vec<Stmt>) {
        match self {
            Change::Relock { at, g } => {
                let (name, init) = (&g.name, &g.init);
                let again: Stmt = if g.mutable {
                    parse_quote!(let mut #name = #init;)
                } else {
                    parse_quote!(let #name = #init;)
                };
                s.insert(at, again);
                s.insert(at, parse_quote!(drop(#name);));
            }
            Change::MoveBefore { from, g, guard } => {
                let mut moved = s.remove(from);
                replace_var(&mut moved, &guard.name, &guard.init);
                s.insert(g, moved);
            }
            Change::Unguard { g, guard, per_call } => {
                s.remove(g);
                for later in &mut s[g..] {
                    replace_var(later, &guard.name, &guard.init);
                }
                if per_call {
                    let lock_name = format!("{}-lock", guard.data);
                    let (lock, held) = (
                        format_ident!("lock_per_call"),
                        format_ident!("held_per_call"),
                    );
                    let (make, take): (Stmt, Stmt) = if guard.awaited {
                        (
                            parse_quote!(let #lock = ::racebook_check::task::Mutex::named(#lock_name, ());),
                            parse_quote!(let #held = #lock.lock().await;),
                        )
                    } else {
                        (
                            parse_quote!(let #lock = ::racebook_check::sync::Mutex::named(#lock_name, ());),
                            parse_quote!(let #held = #lock.lock();),
                        )
                    };
                    s.insert(g, take);
                    s.insert(g, make);
                }
            }
            Change::Swap(i) => s.swap(i, i + 1),
        }
    }
}

impl VisitMut for Applier {
    fn visit_item_fn_mut(&mut self, f: &mut syn::ItemFn) {
        self.func = f.sig.ident.to_string();
        visit_mut::visit_item_fn_mut(self, f);
    }

    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        self.func = f.sig.ident.to_string();
        visit_mut::visit_impl_item_fn_mut(self, f);
    }

    fn visit_block_mut(&mut self, b: &mut Block) {
        visit_mut::visit_block_mut(self, b);
        self.block(b);
    }

    fn visit_expr_mut(&mut self, e: &mut Expr) {
        visit_mut::visit_expr_mut(self, e);
        match (self.op, &*e) {
            (Operator::Weaken, Expr::MethodCall(m)) => {
                let strong = m.args.iter().position(|a| {
                    matches!(a, Expr::Path(p) if p.path.segments.last().is_some_and(|s| {
                        ["Acquire", "Release", "AcqRel", "SeqCst"].iter().any(|o| s.ident == o)
                    }))
                });
                if let Some(i) = strong.filter(|_| self.hit()) {
                    {
                        let before = show(&*e);
                        if let Expr::MethodCall(m) = e {
                            m.args[i] =
                                parse_quote!(::racebook_check::sync::atomic::Ordering::Relaxed);
                        }
                        self.done = Some(format!("fn {}: `{before}` made Relaxed", self.func));
                    }
                }
            }
            (Operator::SplitRmw, Expr::MethodCall(m))
                if (m.method == "fetch_add" || m.method == "fetch_sub")
                    && m.args.len() == 2
                    && self.hit() =>
            {
                let before = show(&*e);
                let (recv, n, order) = (&m.receiver, &m.args[0], &m.args[1]);
                let v = format_ident!("seen_before");
                let next: Expr = if m.method == "fetch_add" {
                    parse_quote!(#v + #n)
                } else {
                    parse_quote!(#v - #n)
                };
                // A load cannot release and a store cannot acquire: each half keeps the part
                // of the update's ordering it can carry.
                let (load_order, store_order) = (
                    with_ordering(order, |o| match o {
                        "Release" => "Relaxed",
                        "AcqRel" => "Acquire",
                        o => o,
                    }),
                    with_ordering(order, |o| match o {
                        "Acquire" => "Relaxed",
                        "AcqRel" => "Release",
                        o => o,
                    }),
                );
                *e = parse_quote!({
                    let #v = #recv.load(#load_order);
                    #recv.store(#next, #store_order);
                    #v
                });
                self.done = Some(format!(
                    "fn {}: `{before}` made a load and a store",
                    self.func
                ));
            }
            _ => {}
        }
    }
}

/// `order` (a path such as `Ordering::Release`) with its last segment renamed by `rename`.
fn with_ordering(order: &Expr, rename: impl Fn(&str) -> &str) -> Expr {
    let mut out = order.clone();
    if let Expr::Path(p) = &mut out
        && let Some(last) = p.path.segments.last_mut()
    {
        let name = rename(&last.ident.to_string()).to_string();
        last.ident = format_ident!("{name}");
    }
    out
}
