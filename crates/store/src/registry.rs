//! Registry writes: org units, users, households (persons are in `person.rs`).
//! Creates are keyed by the client id (a repeated create returns the stored row as a
//! duplicate); updates name the version they were based on and fail with a conflict if the
//! row moved on.

use crate::codes::{AuditAction, EntityKind, OrgLevel};
use crate::error::{Result, StoreError};
use crate::fetch::{execute, fetch_opt};
use crate::ids::OrgPath;
use crate::model::*;
use crate::row;
use crate::tx::{Tx, audit_diff, audit_value};

pub(crate) fn required(field: &'static str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(StoreError::invalid(field, value, "wajib diisi"));
    }
    Ok(())
}

impl Tx {
    /// Adds a unit under `parent_id` (a province when there is no parent).
    pub async fn create_org_unit(&mut self, new: &NewOrgUnit) -> Result<Stored<OrgUnit>> {
        required("name", &new.name)?;
        let path = match new.parent_id {
            Some(pid) => {
                let parent = self.org_unit(pid).await?;
                if !self.actor.can_see(&parent.path) {
                    return Err(StoreError::OutOfScope {
                        entity: EntityKind::OrgUnit,
                        id: pid.0,
                    });
                }
                if !parent.level.allows_child(new.level) {
                    return Err(StoreError::invalid(
                        "level",
                        new.level.code(),
                        format!("tidak bisa berada di bawah {}", parent.level.code()),
                    ));
                }
                parent.path.child(&new.code)
            }
            None => {
                if new.level != OrgLevel::Province {
                    return Err(StoreError::invalid(
                        "parent_id",
                        "",
                        "hanya provinsi yang boleh tanpa induk",
                    ));
                }
                if self.actor.scope != OrgPath::root() {
                    return Err(StoreError::OutOfScope {
                        entity: EntityKind::OrgUnit,
                        id: new.id.0,
                    });
                }
                OrgPath::root().child(&new.code)
            }
        }
        .map_err(|e| StoreError::invalid("code", &new.code, e))?;

        let key = new.id.to_string();
        if let Some(existing) = self.try_org_unit_by_id(&key).await? {
            return self.duplicate(existing.path.clone(), EntityKind::OrgUnit, existing);
        }
        let taken: Option<OrgUnit> = fetch_opt!(
            on_tx,
            self,
            "SELECT * FROM org_unit WHERE org_path = $1",
            [path.as_str()],
            row::org_unit
        )?;
        if taken.is_some() {
            return Err(StoreError::invalid(
                "code",
                &new.code,
                "kode sudah dipakai di unit induk ini",
            ));
        }
        let seq = self.next_seq(1).await?;
        let now = self.now;
        execute!(
            on_tx,
            self,
            "INSERT INTO org_unit (id, parent_id, level, code, name, region_code, region_decree, \
             time_zone, org_path, version, seq, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $11)",
            [
                &key,
                new.parent_id.map(|p| p.to_string()),
                new.level.code(),
                &new.code,
                new.name.trim(),
                &new.region_code,
                &new.region_decree,
                new.time_zone.code(),
                path.as_str(),
                seq,
                now
            ]
        );
        self.audit(
            AuditAction::Create,
            EntityKind::OrgUnit,
            new.id.0,
            &path,
            &audit_value(new),
        )
        .await?;
        self.paths.insert(new.id, path);
        let record = self.org_unit(new.id).await?;
        Ok(Stored {
            record,
            outcome: Outcome::Inserted,
        })
    }

    pub(crate) async fn org_unit(&mut self, id: OrgUnitId) -> Result<OrgUnit> {
        self.try_org_unit_by_id(&id.to_string())
            .await?
            .ok_or(StoreError::NotFound {
                entity: EntityKind::OrgUnit,
                id: id.0,
            })
    }

    async fn try_org_unit_by_id(&mut self, key: &str) -> Result<Option<OrgUnit>> {
        fetch_opt!(
            on_tx,
            self,
            "SELECT * FROM org_unit WHERE id = $1",
            [key],
            row::org_unit
        )
    }

    pub(crate) fn duplicate<T>(
        &self,
        path: OrgPath,
        kind: EntityKind,
        record: T,
    ) -> Result<Stored<T>>
    where
        T: HasId,
    {
        if !self.actor.can_see(&path) {
            return Err(StoreError::OutOfScope {
                entity: kind,
                id: record.uuid(),
            });
        }
        Ok(Stored {
            record,
            outcome: Outcome::Duplicate,
        })
    }

    /// Adds a user bound to the subtree of `org_unit_id`, which must be in the actor's scope;
    /// the actor's role must be allowed to manage `new.role` ([`Actor::may_manage`]).
    ///
    /// [`Actor::may_manage`]: crate::Actor::may_manage
    pub async fn create_user(&mut self, new: &NewUser) -> Result<Stored<User>> {
        required("display_name", &new.display_name)?;
        let username = new.username.trim();
        if username.is_empty() || username.contains(char::is_whitespace) {
            return Err(StoreError::invalid(
                "username",
                &new.username,
                "wajib diisi, tanpa spasi",
            ));
        }
        self.actor.check_may_manage(new.role)?;
        let path = self.unit_path_in_scope(new.org_unit_id).await?;
        let key = new.id.to_string();
        if let Some(u) = fetch_opt!(
            on_tx,
            self,
            "SELECT * FROM app_user WHERE id = $1",
            [&key],
            row::user
        )? {
            return self.duplicate(u.org_path.clone(), EntityKind::User, u);
        }
        let taken: Option<User> = fetch_opt!(
            on_tx,
            self,
            "SELECT * FROM app_user WHERE username = $1",
            [username],
            row::user
        )?;
        if taken.is_some() {
            return Err(StoreError::invalid("username", username, "sudah dipakai"));
        }
        let seq = self.next_seq(1).await?;
        let now = self.now;
        execute!(
            on_tx,
            self,
            "INSERT INTO app_user (id, username, display_name, role, org_unit_id, org_path, active, \
             version, seq, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $9)",
            [
                &key,
                username,
                new.display_name.trim(),
                new.role.code(),
                new.org_unit_id.to_string(),
                path.as_str(),
                true,
                seq,
                now
            ]
        );
        self.audit(
            AuditAction::Create,
            EntityKind::User,
            new.id.0,
            &path,
            &audit_value(new),
        )
        .await?;
        let record = fetch_opt!(
            on_tx,
            self,
            "SELECT * FROM app_user WHERE id = $1",
            [&key],
            row::user
        )?
        .ok_or(StoreError::NotFound {
            entity: EntityKind::User,
            id: new.id.0,
        })?;
        Ok(Stored {
            record,
            outcome: Outcome::Inserted,
        })
    }

    pub async fn create_household(&mut self, new: &NewHousehold) -> Result<Stored<Household>> {
        required("head_name", &new.head_name)?;
        check_kk(new.kk_number.as_deref())?;
        let path = self.unit_path_in_scope(new.org_unit_id).await?;
        let key = new.id.to_string();
        if let Some(h) = self.try_household(&key).await? {
            return self.duplicate(h.org_path.clone(), EntityKind::Household, h);
        }
        let seq = self.next_seq(1).await?;
        let now = self.now;
        execute!(
            on_tx,
            self,
            "INSERT INTO household (id, org_unit_id, org_path, kk_number, head_name, address, rt, rw, \
             version, seq, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $10)",
            [
                &key,
                new.org_unit_id.to_string(),
                path.as_str(),
                &new.kk_number,
                new.head_name.trim(),
                &new.address,
                &new.rt,
                &new.rw,
                seq,
                now
            ]
        );
        self.audit(
            AuditAction::Create,
            EntityKind::Household,
            new.id.0,
            &path,
            &audit_value(new),
        )
        .await?;
        let record = self
            .try_household(&key)
            .await?
            .ok_or(StoreError::NotFound {
                entity: EntityKind::Household,
                id: new.id.0,
            })?;
        Ok(Stored {
            record,
            outcome: Outcome::Inserted,
        })
    }

    /// The household `id` (deleted ones too), for the merge.
    pub(crate) async fn household_row(&mut self, id: HouseholdId) -> Result<Household> {
        self.try_household(&id.to_string())
            .await?
            .ok_or(StoreError::NotFound {
                entity: EntityKind::Household,
                id: id.0,
            })
    }

    async fn try_household(&mut self, key: &str) -> Result<Option<Household>> {
        fetch_opt!(
            on_tx,
            self,
            "SELECT * FROM household WHERE id = $1",
            [key],
            row::household
        )
    }

    /// Replaces the household's fields, based on `expected_version`.
    pub async fn update_household(
        &mut self,
        expected_version: i64,
        new: &NewHousehold,
    ) -> Result<Household> {
        required("head_name", &new.head_name)?;
        check_kk(new.kk_number.as_deref())?;
        let key = new.id.to_string();
        self.check_version(EntityKind::Household, new.id.0, expected_version)
            .await?;
        let old = self
            .try_household(&key)
            .await?
            .ok_or(StoreError::NotFound {
                entity: EntityKind::Household,
                id: new.id.0,
            })?;
        let path = self.unit_path_in_scope(new.org_unit_id).await?;
        let seq = self.next_seq(1).await?;
        let now = self.now;
        let n = execute!(
            on_tx,
            self,
            "UPDATE household SET org_unit_id = $1, org_path = $2, kk_number = $3, head_name = $4, \
             address = $5, rt = $6, rw = $7, version = version + 1, seq = $8, updated_at = $9 \
             WHERE id = $10 AND version = $11",
            [
                new.org_unit_id.to_string(),
                path.as_str(),
                &new.kk_number,
                new.head_name.trim(),
                &new.address,
                &new.rt,
                &new.rw,
                seq,
                now,
                &key,
                expected_version
            ]
        );
        conflict_unless(n, EntityKind::Household, new.id.0, expected_version)?;
        let before = household_input(&old);
        self.audit(
            AuditAction::Update,
            EntityKind::Household,
            new.id.0,
            &path,
            &audit_diff(&before, new),
        )
        .await?;
        self.try_household(&key).await?.ok_or(StoreError::NotFound {
            entity: EntityKind::Household,
            id: new.id.0,
        })
    }
}

pub(crate) fn conflict_unless(
    n: u64,
    entity: EntityKind,
    id: uuid::Uuid,
    expected: i64,
) -> Result<()> {
    if n == 1 {
        Ok(())
    } else {
        // Another writer got in between our read and our update (PostgreSQL read committed).
        Err(StoreError::Conflict {
            entity,
            id,
            expected,
            actual: expected + 1,
        })
    }
}

/// Nomor KK: 16 digits when given.
fn check_kk(kk: Option<&str>) -> Result<()> {
    match kk {
        Some(k) if k.len() != 16 || !k.bytes().all(|b| b.is_ascii_digit()) => {
            Err(StoreError::invalid(
                "kk_number",
                format!("{} karakter", k.len()),
                "nomor KK harus 16 angka",
            ))
        }
        _ => Ok(()),
    }
}

pub(crate) fn household_input(h: &Household) -> NewHousehold {
    NewHousehold {
        id: h.id,
        org_unit_id: h.org_unit_id,
        kk_number: h.kk_number.clone(),
        head_name: h.head_name.clone(),
        address: h.address.clone(),
        rt: h.rt.clone(),
        rw: h.rw.clone(),
    }
}

/// Records that know their id (for scope errors on duplicates).
pub(crate) trait HasId {
    fn uuid(&self) -> uuid::Uuid;
}

macro_rules! has_id {
    ($($t:ty),*) => {$(impl HasId for $t { fn uuid(&self) -> uuid::Uuid { self.id.0 } })*};
}
has_id!(
    OrgUnit,
    User,
    Household,
    Person,
    Relationship,
    Pregnancy,
    Referral
);
