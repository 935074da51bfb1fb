//! The service day (hari buka) of one posyandu: open the day, then the five steps for each
//! person who comes — 1 registration, 2 measurements, 3 the record (what the rules say,
//! shown before saving), 4 services, 5 counselling and referral — and the day's summary.
//!
//! - [`service`], [`record`], [`summary`], [`assess`], [`similar`]: the operations, shared
//!   by the pages ([`pages`]) and the JSON API (`crate::api`).
//! - Scope: every id in a URL is read through the store with the user's actor; a record
//!   outside the user's subtree answers 404 like a record that does not exist.

pub mod assess;
pub mod pages;
pub mod prepare;
pub mod record;
pub mod service;
pub mod similar;
pub mod summary;

use crate::form::FieldError;

/// Why a service-day operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum DayError {
    /// Not there, or outside the user's subtree (the two look the same to the user).
    #[error("tidak ditemukan")]
    NotFound,
    #[error("isian {} = '{}' tidak valid", .0.field, .0.value)]
    Field(FieldError),
    /// Values to measure again: nothing was stored; the page asks to confirm.
    #[error("periksa ulang")]
    Recheck(Box<assess::Assessment>),
    /// The day is closed: nothing more is recorded into it until someone reopens it.
    #[error("hari buka sudah ditutup")]
    Closed,
    /// Someone else changed the record (or moved a referral on) since it was read:
    /// nothing was written; the user sees the record as it is now.
    #[error("sudah diubah orang lain")]
    Stale,
    #[error(transparent)]
    Store(store::StoreError),
}

impl DayError {
    pub fn field(field: &str, value: &str, reason: &'static str) -> DayError {
        DayError::Field(FieldError::new(field, value, reason))
    }
}

impl From<store::StoreError> for DayError {
    fn from(e: store::StoreError) -> Self {
        use store::StoreError as E;
        match e {
            E::NotFound { .. } | E::OutOfScope { .. } | E::Deleted { .. } => DayError::NotFound,
            E::Conflict { .. } | E::InvalidTransition { .. } => DayError::Stale,
            E::Invalid { field, value, .. } => {
                DayError::Field(FieldError::new(field, value, "err-invalid"))
            }
            other => DayError::Store(other),
        }
    }
}

impl From<FieldError> for DayError {
    fn from(e: FieldError) -> Self {
        DayError::Field(e)
    }
}
