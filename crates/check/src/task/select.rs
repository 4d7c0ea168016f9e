//! `select!`: wait on several futures at once and run the branch of the first that finishes,
//! with tokio's syntax and meaning, on the real runtime and under the checkers alike.
//!
//! ```ignore
//! racebook_check::select! {
//!     Some(msg) = rx.recv() => handle(msg),
//!     _ = task::sleep(Duration::from_secs(1)) => heartbeat(),
//!     else => break,
//! }
//! ```
//!
//! As in tokio: every branch's future is built first; a branch with a false `, if` condition
//! is not polled; a branch whose output does not match its pattern is disabled and the others
//! go on; once one matches, every other branch's future is dropped (a `&mut fut` branch only
//! drops the borrow: the future itself lives on, unpolled) and then its handler runs; `else`
//! runs when every branch is disabled (without it, that panics).
//!
//! Which ready branch wins: tokio starts at a random branch on every poll; on the real runtime
//! this does too, unless the macro starts with `biased;`. The checkers poll the branches in the
//! order written, as `biased;` does, so that every run replays exactly; when things happen (a
//! timer fires, a lock is released) is what they explore. Up to 8 branches.
//!
//! tokio's and futures' own `select!` macros compile with the facade's futures, but they pick
//! branches with a random number the checkers cannot replay; use this one.

/// See the module documentation: [`crate::task::select`](crate::task::select).
#[macro_export]
macro_rules! select {
    (biased; $($rest:tt)*) => {
        $crate::__select_munch!(@[true] [] [b0 B0 0 b1 B1 1 b2 B2 2 b3 B3 3 b4 B4 4 b5 B5 5 b6 B6 6 b7 B7 7] $($rest)*)
    };
    ($($rest:tt)*) => {
        $crate::__select_munch!(@[false] [] [b0 B0 0 b1 B1 1 b2 B2 2 b3 B3 3 b4 B4 4 b5 B5 5 b6 B6 6 b7 B7 7] $($rest)*)
    };
}

/// The branches of [`select!`], one at a time, each with its own names.
#[doc(hidden)]
#[macro_export]
macro_rules! __select_munch {
    (@[$b:tt] [$($acc:tt)*] [$($ids:tt)*] else => $els:expr $(,)?) => {
        $crate::__select_gen!(@[$b] [$($acc)*] [$els])
    };
    (@[$b:tt] [$($acc:tt)*] [$($ids:tt)*]) => {
        $crate::__select_gen!(@[$b] [$($acc)*] [$crate::task::__select::all_disabled()])
    };
    (@[$b:tt] [$($acc:tt)*] [$id:ident $ty:ident $ix:tt $($ids:tt)*] $p:pat = $f:expr, if $c:expr => $body:block, $($rest:tt)*) => {
        $crate::__select_munch!(@[$b] [$($acc)* ($id $ty $ix ($p) ($f) ($c) ($body) (stringify!($f)))] [$($ids)*] $($rest)*)
    };
    (@[$b:tt] [$($acc:tt)*] [$id:ident $ty:ident $ix:tt $($ids:tt)*] $p:pat = $f:expr, if $c:expr => $body:block $($rest:tt)*) => {
        $crate::__select_munch!(@[$b] [$($acc)* ($id $ty $ix ($p) ($f) ($c) ($body) (stringify!($f)))] [$($ids)*] $($rest)*)
    };
    (@[$b:tt] [$($acc:tt)*] [$id:ident $ty:ident $ix:tt $($ids:tt)*] $p:pat = $f:expr, if $c:expr => $body:expr, $($rest:tt)*) => {
        $crate::__select_munch!(@[$b] [$($acc)* ($id $ty $ix ($p) ($f) ($c) ($body) (stringify!($f)))] [$($ids)*] $($rest)*)
    };
    (@[$b:tt] [$($acc:tt)*] [$id:ident $ty:ident $ix:tt $($ids:tt)*] $p:pat = $f:expr, if $c:expr => $body:expr) => {
        $crate::__select_munch!(@[$b] [$($acc)* ($id $ty $ix ($p) ($f) ($c) ($body) (stringify!($f)))] [$($ids)*])
    };
    (@[$b:tt] [$($acc:tt)*] [$id:ident $ty:ident $ix:tt $($ids:tt)*] $p:pat = $f:expr => $body:block, $($rest:tt)*) => {
        $crate::__select_munch!(@[$b] [$($acc)* ($id $ty $ix ($p) ($f) (true) ($body) (stringify!($f)))] [$($ids)*] $($rest)*)
    };
    (@[$b:tt] [$($acc:tt)*] [$id:ident $ty:ident $ix:tt $($ids:tt)*] $p:pat = $f:expr => $body:block $($rest:tt)*) => {
        $crate::__select_munch!(@[$b] [$($acc)* ($id $ty $ix ($p) ($f) (true) ($body) (stringify!($f)))] [$($ids)*] $($rest)*)
    };
    (@[$b:tt] [$($acc:tt)*] [$id:ident $ty:ident $ix:tt $($ids:tt)*] $p:pat = $f:expr => $body:expr, $($rest:tt)*) => {
        $crate::__select_munch!(@[$b] [$($acc)* ($id $ty $ix ($p) ($f) (true) ($body) (stringify!($f)))] [$($ids)*] $($rest)*)
    };
    (@[$b:tt] [$($acc:tt)*] [$id:ident $ty:ident $ix:tt $($ids:tt)*] $p:pat = $f:expr => $body:expr) => {
        $crate::__select_munch!(@[$b] [$($acc)* ($id $ty $ix ($p) ($f) (true) ($body) (stringify!($f)))] [$($ids)*])
    };
}

/// The code of one [`select!`].
#[doc(hidden)]
#[macro_export]
macro_rules! __select_gen {
    (@[$b:tt] [$(($id:ident $ty:ident $ix:tt $p:tt $f:tt $c:tt $body:tt $text:tt))+] [$els:expr]) => {{
        #[allow(non_camel_case_types, dead_code)]
        enum __Out<$($ty),+> {
            $($id($ty),)+
            __Else,
        }
        let __at = $crate::task::__select::here();
        let __out = {
            $(
                #[allow(unused_parens)]
                let mut $id = $crate::task::__select::Branch::new($c, $f, $ix, $text);
            )+
            let __n = [$($ix),+].len();
            $crate::task::__select::poll_fn(|__cx| {
                let __start = $crate::task::__select::start(__n, $b);
                let mut __pending = false;
                for __i in 0..__n {
                    match (__start + __i) % __n {
                        $(
                            $ix => {
                                if let ::std::option::Option::Some(__v) =
                                    $id.poll(__cx, __at, &mut __pending)
                                {
                                    #[allow(unused_variables, unused_mut, irrefutable_let_patterns, unused_parens)]
                                    if let $p = &__v {
                                        $id.chosen(__at);
                                        return $crate::task::__select::Poll::Ready(__Out::$id(__v));
                                    }
                                }
                            }
                        )+
                        _ => ::std::unreachable!(),
                    }
                }
                if __pending {
                    $crate::task::__select::Poll::Pending
                } else {
                    $crate::task::__select::Poll::Ready(__Out::__Else)
                }
            })
            .await
        };
        #[allow(unused_parens, unreachable_patterns)]
        match __out {
            $(__Out::$id($p) => $body,)+
            __Out::__Else => $els,
            _ => ::std::unreachable!("a select! output that matched its pattern no longer does"),
        }
    }};
}

/// What the macro's code calls.
#[doc(hidden)]
pub mod __select {
    use crate::engine;
    use crate::record::{self, Event};
    use crate::task::branch;
    use racebook_trace::{EngineKind, Op};
    use std::future::Future;
    pub use std::future::poll_fn;
    use std::panic::Location;
    use std::pin::Pin;
    use std::task::Context;
    pub use std::task::Poll;

    /// Where the `select!` is.
    #[track_caller]
    pub fn here() -> &'static Location<'static> {
        Location::caller()
    }

    /// One branch: its future while it may still be polled.
    pub struct Branch<F> {
        future: Option<Pin<Box<F>>>,
        index: usize,
        text: &'static str,
    }

    impl<F: Future> Branch<F> {
        pub fn new(enabled: bool, future: F, index: usize, text: &'static str) -> Branch<F> {
            Branch {
                future: enabled.then(|| Box::pin(future)),
                index,
                text,
            }
        }

        /// Poll the branch if it is still enabled; a finished branch is disabled.
        pub fn poll(
            &mut self,
            cx: &mut Context<'_>,
            at: &'static Location<'static>,
            pending: &mut bool,
        ) -> Option<F::Output> {
            let future = self.future.as_mut()?;
            let here = branch::Branch {
                select_at: at,
                index: self.index,
                text: self.text,
            };
            let polled = if engine::current() == EngineKind::Shuttle {
                branch::in_branch(here, || future.as_mut().poll(cx))
            } else {
                future.as_mut().poll(cx)
            };
            match polled {
                Poll::Ready(v) => {
                    self.future = None;
                    Some(v)
                }
                Poll::Pending => {
                    *pending = true;
                    None
                }
            }
        }

        /// This branch won.
        pub fn chosen(&self, at: &'static Location<'static>) {
            if engine::current() == EngineKind::Shuttle {
                branch::chose(at, self.index, self.text);
            }
            let text = self.text;
            let won = branch::Branch {
                select_at: at,
                index: self.index,
                text,
            };
            record::step(at, || {
                Event::new(Op::Select)
                    .value(format!("`{text}`"))
                    .branch(won)
            });
        }
    }

    /// Where this poll starts: a random branch on the real runtime (as tokio), unless biased;
    /// the first under the checkers, so that runs replay.
    pub fn start(n: usize, biased: bool) -> usize {
        if biased || engine::current() != EngineKind::Real || n < 2 {
            return 0;
        }
        use std::cell::Cell;
        thread_local! {
            static SEED: Cell<u64> = Cell::new(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(1, |d| d.as_nanos() as u64 | 1),
            );
        }
        SEED.with(|s| {
            // xorshift64
            let mut x = s.get();
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            s.set(x);
            (x % n as u64) as usize
        })
    }

    /// Every branch was disabled and there is no `else`.
    pub fn all_disabled() -> ! {
        panic!("select!: all branches are disabled and there is no else branch")
    }
}
