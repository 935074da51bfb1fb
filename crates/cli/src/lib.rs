//! The `posyandu` command's subcommands, as a library so that tests and fuzz targets can
//! call them directly; `main.rs` only parses the arguments and dispatches.

pub mod out;
pub mod report_cmd;
pub mod safe_file;
pub mod screen;
pub mod serve;
pub mod store_cmds;
pub mod sync_cmd;
pub mod user_cmd;
pub mod zscore;
