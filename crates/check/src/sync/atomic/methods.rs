//! The methods every facade atomic has, generated once for the integer types and for
//! [`super::Atomic`]: `$pack` and `$unpack` turn a value into what the engines' atomics hold and
//! back (the identity for integers).

macro_rules! atomic_methods {
    ([$($gen:tt)*] $name:ty, $prim:ty, $std:ty, $shuttle:ty, $loom:ty, $pack:path, $unpack:path) => {
        impl<$($gen)*> $name {
            /// Like std's `new`; reports name it after the binding that holds it, or after
            /// where it was built. `named` names it explicitly.
            #[track_caller]
            pub fn new(value: $prim) -> Self {
                let at = Location::caller();
                Self::build(crate::naming::derived("atomic", at), value, at)
            }

            /// An atomic named `name` (as reports show it) holding `value`.
            #[track_caller]
            pub fn named(name: &str, value: $prim) -> Self {
                Self::build(name.to_string(), value, Location::caller())
            }

            fn build(name: String, value: $prim, at: &'static Location<'static>) -> Self {
                let obj = record::object(&name, ObjectKind::Atomic, || format!("{value:?}"), at);
                let bits = $pack(value);
                let inner = match engine::current() {
                    EngineKind::Real => Inner::Real(<$std>::new(bits)),
                    EngineKind::Shuttle => Inner::Shuttle(<$shuttle>::new(bits)),
                    EngineKind::Loom => Inner::Loom(<$loom>::new(bits)),
                };
                Self::assemble(name.into(), Steps { obj }, inner)
            }

            /// Load the value with `order`.
            #[inline]
            #[track_caller]
            pub fn load(&self, order: Ordering) -> $prim {
                self.load_at(Location::caller(), order)
            }

            #[inline]
            fn load_at(&self, at: &'static Location<'static>, order: Ordering) -> $prim {
                straight_to_std!(self, a => $unpack(a.load(order)));
                mm::note_access(order);
                let v = $unpack(on_engine!(self, a => a.load(load_order(order))));
                self.steps.load(at, || format!("{v:?}"), order);
                v
            }

            /// Store `value` with `order`.
            #[inline]
            #[track_caller]
            pub fn store(&self, value: $prim, order: Ordering) {
                straight_to_std!(self, a => a.store($pack(value), order));
                mm::note_access(order);
                on_engine!(self, a => a.store($pack(value), store_order(order)));
                self.steps.store(Location::caller(), || format!("{value:?}"), order);
            }

            /// Store `value` and return the previous value, as one atomic step.
            #[inline]
            #[track_caller]
            pub fn swap(&self, value: $prim, order: Ordering) -> $prim {
                straight_to_std!(self, a => $unpack(a.swap($pack(value), order)));
                mm::note_access(order);
                let old = $unpack(on_engine!(self, a => a.swap($pack(value), rmw_order(order))));
                self.record_rmw(Location::caller(), old, value, order);
                old
            }

            /// Store `new` if the value is `current`; returns the value seen either way.
            #[inline]
            #[track_caller]
            pub fn compare_exchange(
                &self,
                current: $prim,
                new: $prim,
                success: Ordering,
                failure: Ordering,
            ) -> Result<$prim, $prim> {
                self.cas_at(Location::caller(), current, new, success, failure)
            }

            #[inline]
            fn cas_at(
                &self,
                at: &'static Location<'static>,
                current: $prim,
                new: $prim,
                success: Ordering,
                failure: Ordering,
            ) -> Result<$prim, $prim> {
                straight_to_std!(self, a => a
                    .compare_exchange($pack(current), $pack(new), success, failure)
                    .map($unpack)
                    .map_err($unpack));
                mm::note_access(success);
                let (s, f) = (rmw_order(success), failure_order(failure));
                let r = on_engine!(self, a => a.compare_exchange($pack(current), $pack(new), s, f))
                    .map($unpack)
                    .map_err($unpack);
                match r {
                    Ok(old) => self.record_rmw(at, old, new, success),
                    Err(seen) => self.steps.cas_failed(
                        at,
                        || format!("{current:?}"),
                        || format!("{seen:?}"),
                        failure,
                    ),
                }
                r
            }

            /// Like `compare_exchange`, but it may fail even when the value is `current`, as
            /// on LL/SC processors; call it in a loop. Under the checkers a spurious failure is
            /// a choice they explore.
            #[track_caller]
            pub fn compare_exchange_weak(
                &self,
                current: $prim,
                new: $prim,
                success: Ordering,
                failure: Ordering,
            ) -> Result<$prim, $prim> {
                self.weak_cas_at(Location::caller(), current, new, success, failure)
            }

            fn weak_cas_at(
                &self,
                at: &'static Location<'static>,
                current: $prim,
                new: $prim,
                success: Ordering,
                failure: Ordering,
            ) -> Result<$prim, $prim> {
                if self.inner.on_model() && mm::weak_cas_fails_spuriously() {
                    // The spurious failure: the value is read, with the failure ordering, and
                    // nothing is written, whatever the value was.
                    mm::note_access(failure);
                    let seen = $unpack(on_engine!(self, a => a.load(failure_order(failure))));
                    self.steps.cas_failed(
                        at,
                        || format!("{current:?}"),
                        || format!("{seen:?}"),
                        failure,
                    );
                    return Err(seen);
                }
                self.cas_at(at, current, new, success, failure)
            }

            /// Like std's `fetch_update`: load, then apply `f` and try a weak compare-exchange
            /// until it succeeds or `f` returns `None`. Each attempt is a recorded step.
            #[track_caller]
            pub fn fetch_update<F>(
                &self,
                set_order: Ordering,
                fetch_order: Ordering,
                mut f: F,
            ) -> Result<$prim, $prim>
            where
                F: FnMut($prim) -> Option<$prim>,
            {
                let at = Location::caller();
                let mut prev = self.load_at(at, fetch_order);
                while let Some(next) = f(prev) {
                    match self.weak_cas_at(at, prev, next, set_order, fetch_order) {
                        Ok(old) => return Ok(old),
                        Err(seen) => prev = seen,
                    }
                }
                Err(prev)
            }

            fn record_rmw(
                &self,
                at: &'static Location<'static>,
                old: $prim,
                new: $prim,
                order: Ordering,
            ) {
                self.steps.rmw(at, || format!("{old:?}"), || format!("{new:?}"), order);
            }
        }

        impl<$($gen)*> std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($name)).field("name", &self.name).finish_non_exhaustive()
            }
        }
    };
}

pub(super) use atomic_methods;
