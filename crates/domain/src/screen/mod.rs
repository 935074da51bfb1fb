//! The `posyandu screen` JSON Lines contract (rules.md §11): one input line in, one output
//! line out. The web app, the reports and batch jobs call [`screen_line`], so every caller
//! gets the same answer; the CLI only does the I/O around it.

mod fast;
mod fast_fields;
mod history;
pub mod input;
pub mod output;
mod overflow;
mod person_fields;
mod questionnaire_fields;

pub use input::{
    FieldError, MAX_ERRORS, ParsedLine, parse_line, parse_line_fast, parse_line_reference,
};
pub use output::{OutputLine, screen_line, screen_parsed};
