//! Everything that reads other systems' formats into the record: register files (CSV or
//! XLSX, the project's own layout or e-PPGBM's export) for `posyandu import` and the web
//! upload (`/unggah`).
//!
//! [`register`] is pure: it reads a file and names every bad cell by line, column and value.
//! [`import`] checks the good rows against the store and stores them, audited as the actor,
//! so that the command line and the web import exactly the same way.

pub mod import;
pub mod register;

pub use import::{Options, Outcome, Stopped, Tally};
pub use register::{FileError, Lang, Layout, ParsedFile, RowError, RowNote};
