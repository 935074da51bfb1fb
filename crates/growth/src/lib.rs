//! WHO growth z-scores (placeholder; the engine lands next).
