//! The maintainers' proofs for this exercise (run by the root test command).
