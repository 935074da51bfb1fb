//! The record: one [`Store`] over embedded SQLite (default) and PostgreSQL.
//!
//! - [`model`]: the record types. Registry rows carry a version (optimistic concurrency);
//!   captures are immutable events keyed by a client-minted UUIDv7 and stored idempotently.
//! - [`Store`]: a handle on either engine; reads take an [`Actor`] and only return rows in
//!   the actor's subtree. [`Tx`]: a unit of work; every write in it also writes its audit
//!   row, and nothing is visible until [`Tx::commit`].
//! - Every insert and update takes the next number of one change sequence, so a sync client
//!   can pull "everything after N" ([`Store::pull_changes`]).
//!
//! - [`accounts`] and [`password`]: logins — argon2id passwords, sessions stored as token
//!   hashes, login failures for throttling.
//!
//! Each engine has its own migrations (`migrations/sqlite`, `migrations/postgres`), embedded
//! in the binary and applied by [`Store::migrate`].

mod access_log;
pub mod accounts;
pub mod actor;
mod apply;
pub mod codes;
pub mod error;
pub mod ids;
pub mod model;
pub mod nik;
pub mod password;

pub use accounts::{Credentials, LoginKey, NewSession, Secret, Session, SessionPolicy};
pub use actor::{Actor, Principal};
pub use apply::{
    Applied, Outgoing, OutgoingBatch, OutgoingEdit, OutgoingItem, Parked, PushAnswer, Pushed,
    SyncState,
};
pub use error::{Result, StoreError};
pub use model::*;
pub use password::{PasswordError, PasswordHash};

pub mod backup_sum;
mod capture;
mod day;
mod day_state;
mod db;
mod deletion;
mod direct;
mod fetch;
mod group;
mod health;
mod late;
mod latest;
mod merge;
mod month;
mod org_units;
mod period_close;
mod person;
mod push_create;
mod read;
mod referral;
mod refs;
mod registry;
mod report_summary;
mod roster;
mod row;
pub mod sqlite_file;
pub mod sqlite_restore;
mod sync;
mod tx;
mod users;

pub use day::SEARCH_LIMIT;
pub use db::{EngineKind, MigrateReport, Store, redact_url};
pub use deletion::Deletion;
pub use late::{LateRow, LateRows, LateTable};
pub use merge::{
    Edit, Editable, HouseholdEdit, Merged, PersonEdit, PersonFields, PersonFieldsEdit,
    PregnancyEdit, PregnancyEnd, ReferralEdit, ReferralProgress, Review,
};
pub use period_close::{PeriodClose, PeriodReopen};
pub use push_create::{
    CONFLICTING, Create, CreateOutcome, PersonCreate, device_author, refusal_is_final,
};
pub use read::Activity;
pub use report_summary::Summary;
pub use roster::{RosterDose, RosterEntry, RosterMeasurement};
pub use sqlite_file::{BackupReport, FileCheck, check_sqlite_file, sqlite_path};
pub use sqlite_restore::{RestoreOptions, RestoreReport, restore_sqlite_file};
pub use sync::PushOutcome;
pub use tx::Tx;

/// The driver, for tools that use [`Store::sqlite_pool`] or [`Store::postgres_pool`] directly.
pub use sqlx;
