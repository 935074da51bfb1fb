//! The store's error type. Messages name the field and the value (never a NIK).

use uuid::Uuid;

use crate::codes::{EntityKind, ReferralStatus};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database URL '{0}' tidak dikenal: gunakan sqlite://… atau postgres://…")]
    UnsupportedUrl(String),
    #[error("kesalahan basis data: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migrasi gagal: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{entity:?} {id} tidak ditemukan")]
    NotFound { entity: EntityKind, id: Uuid },
    /// The record exists but lies outside the actor's subtree (or the target unit does).
    #[error("{entity:?} {id} di luar wilayah kerja pengguna")]
    OutOfScope { entity: EntityKind, id: Uuid },
    /// Optimistic concurrency: someone changed the row since it was read.
    #[error("{entity:?} {id} sudah diubah orang lain (versi {actual}, diharapkan {expected})")]
    Conflict {
        entity: EntityKind,
        id: Uuid,
        expected: i64,
        actual: i64,
    },
    #[error("{entity:?} {id} sudah dihapus")]
    Deleted { entity: EntityKind, id: Uuid },
    #[error("isian '{field}' = '{value}' tidak valid: {reason}")]
    Invalid {
        field: &'static str,
        value: String,
        reason: String,
    },
    #[error("status rujukan tidak bisa berubah dari {from:?} ke {to:?}")]
    InvalidTransition {
        from: ReferralStatus,
        to: ReferralStatus,
    },
    #[error("data tersimpan rusak: kolom {column} = '{value}'")]
    Corrupt { column: &'static str, value: String },
}

impl StoreError {
    pub(crate) fn invalid(
        field: &'static str,
        value: impl ToString,
        reason: impl ToString,
    ) -> Self {
        StoreError::Invalid {
            field,
            value: value.to_string(),
            reason: reason.to_string(),
        }
    }
}
