//! The register import moved to the `exchange` crate (`exchange::register`); this name stays
//! for the callers that still use it (`posyandu zscore`'s header matching, the fuzz target).

pub use exchange::register::*;
