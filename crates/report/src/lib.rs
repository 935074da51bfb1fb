//! What the record says about a unit, for the people who act on it: the target lists
//! (sasaran, issue 10 item 4) of a unit and month, as typed tables that the web pages show,
//! sort and print and that download as CSV and XLSX. Pure computation over rows read once
//! ([`targets::Snapshot`]); the store read is in [`load`]. [`eppgbm`] writes the month's
//! weighings in the e-PPGBM export layout. [`monthly`] is the monthly report (issue 11).

pub mod eppgbm;
pub mod load;
pub mod monthly;
pub mod table;
pub mod targets;

pub use table::{Cell, Table};
pub use targets::{List, Snapshot};
