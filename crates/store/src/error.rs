//! The store's error type. Messages name the field and the value (never a NIK).

use uuid::Uuid;

use crate::codes::{EntityKind, ReferralStatus, Role};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database URL '{0}' tidak dikenal: gunakan sqlite://… atau postgres://…")]
    UnsupportedUrl(String),
    #[error("kesalahan basis data: {0}")]
    Database(#[from] sqlx::Error),
    /// A read on the caller's thread ([`crate::direct`]) failed.
    #[error("kesalahan basis data: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("migrasi gagal: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{} {id} tidak ditemukan", .entity.code())]
    NotFound { entity: EntityKind, id: Uuid },
    /// The record exists but lies outside the actor's subtree (or the target unit does).
    #[error("{} {id} di luar wilayah kerja pengguna", .entity.code())]
    OutOfScope { entity: EntityKind, id: Uuid },
    /// Optimistic concurrency: someone changed the row since it was read.
    #[error(
        "{} {id} sudah diubah orang lain (versi {actual}, diharapkan {expected})",
        .entity.code()
    )]
    Conflict {
        entity: EntityKind,
        id: Uuid,
        expected: i64,
        actual: i64,
    },
    #[error("{} {id} sudah dihapus", .entity.code())]
    Deleted { entity: EntityKind, id: Uuid },
    #[error("isian '{field}' = '{value}' tidak valid: {reason}")]
    Invalid {
        field: &'static str,
        value: String,
        reason: String,
    },
    #[error(
        "status rujukan tidak bisa berubah dari {} ke {}",
        .from.code(),
        .to.code()
    )]
    InvalidTransition {
        from: ReferralStatus,
        to: ReferralStatus,
    },
    /// The actor's role may not create or change accounts of this role (the rule is
    /// [`crate::Actor::may_manage`]).
    #[error("peran {} tidak boleh mengelola akun {}", .actor.code(), .target.code())]
    RoleNotAllowed { actor: Role, target: Role },
    /// Nobody deactivates their own account (an admin would lock themselves out).
    #[error("akun sendiri ({id}) tidak bisa dinonaktifkan")]
    OwnAccount { id: Uuid },
    /// Nobody changes their own role or unit (an admin would lock themselves out, or widen
    /// their own reach).
    #[error("peran dan unit akun sendiri ({id}) tidak bisa diubah")]
    OwnScope { id: Uuid },
    /// The operating system's random source failed (no session token can be made).
    #[error("sumber acak sistem gagal: {0}")]
    Random(String),
    #[error("penyimpanan bersama berhenti sebelum menjawab")]
    GroupLost,
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

    /// The write broke a unique rule other than the id (e.g. a second visit of a person on
    /// one service day): another writer got there first.
    pub fn is_unique_violation(&self) -> bool {
        match self {
            StoreError::Database(sqlx::Error::Database(e)) => e.is_unique_violation(),
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => matches!(
                e.extended_code,
                rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY
            ),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_record_in_its_own_words() {
        let id = Uuid::nil();
        let cases: &[(StoreError, &str)] = &[
            (
                StoreError::NotFound {
                    entity: EntityKind::Person,
                    id,
                },
                "person 00000000-0000-0000-0000-000000000000 tidak ditemukan",
            ),
            (
                StoreError::Conflict {
                    entity: EntityKind::Household,
                    id,
                    expected: 1,
                    actual: 2,
                },
                "household 00000000-0000-0000-0000-000000000000 sudah diubah orang lain (versi 2, diharapkan 1)",
            ),
            (
                StoreError::InvalidTransition {
                    from: ReferralStatus::Created,
                    to: ReferralStatus::Completed,
                },
                "status rujukan tidak bisa berubah dari dibuat ke selesai",
            ),
            (
                StoreError::invalid("value", 0.0, "berat harus angka positif"),
                "isian 'value' = '0' tidak valid: berat harus angka positif",
            ),
        ];
        for (err, want) in cases {
            assert_eq!(err.to_string(), *want);
        }
    }
}
