//! Changing user accounts: name, role and unit (which is their scope), and deactivation.
//! Deactivation and a change of role or unit also revoke the user's sessions (what they may
//! see changed). Both need the user to be in the actor's subtree, and a move needs the
//! target unit too.
//!
//! [`Store::add_user`], [`Store::deactivate_user`], [`Store::reactivate_user`] and
//! [`Store::reassign_user`] are the whole operations the command line (`posyandu user
//! add|deactivate|reactivate|set`) and the web admin pages both call: one audited
//! transaction each, with the role rule of [`Actor::may_manage`]. They answer a user
//! outside the actor's subtree as [`StoreError::NotFound`], like an unknown one, so that
//! an admin cannot probe which accounts exist elsewhere.

use crate::actor::{Actor, Principal};
use crate::codes::{AuditAction, EntityKind, Role};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::fetch::{execute, fetch_opt};
use crate::ids::{OrgUnitId, UserId};
use crate::model::*;
use crate::password::PasswordHash;
use crate::registry::{conflict_unless, required};
use crate::row;
use crate::tx::{Tx, audit_diff};

impl Tx {
    /// Replaces a user's display name, role and unit, based on `expected_version`. The
    /// username is fixed (it is the login). A new role or unit is a new scope: it revokes
    /// the user's sessions in this transaction, and nobody changes their own
    /// ([`StoreError::OwnScope`]: an admin would lock themselves out or widen their reach).
    pub async fn update_user(&mut self, expected_version: i64, new: &NewUser) -> Result<User> {
        required("display_name", &new.display_name)?;
        self.check_version(EntityKind::User, new.id.0, expected_version)
            .await?;
        let old = self.user(new.id).await?;
        if old.username != new.username.trim() {
            return Err(StoreError::invalid(
                "username",
                &new.username,
                "nama login tidak bisa diubah",
            ));
        }
        let path = self.unit_path_in_scope(new.org_unit_id).await?;
        // After the unit's scope (a user moving out of their subtree hears that first),
        // before the role rule (which would name the role, not the reason).
        let scope_changes = old.role != new.role || old.org_unit_id != new.org_unit_id;
        if scope_changes && self.actor.principal == Principal::User(new.id) {
            return Err(StoreError::OwnScope { id: new.id.0 });
        }
        // Scope first, then the role rule both ways: an officer can neither edit an
        // admin's account nor make a kader an admin.
        self.actor.check_may_manage(old.role)?;
        self.actor.check_may_manage(new.role)?;
        let seq = self.next_seq(1).await?;
        let now = self.now;
        let key = new.id.to_string();
        let n = execute!(
            on_tx,
            self,
            "UPDATE app_user SET display_name = $1, role = $2, org_unit_id = $3, org_path = $4, \
             version = version + 1, seq = $5, updated_at = $6 WHERE id = $7 AND version = $8",
            [
                new.display_name.trim(),
                new.role.code(),
                new.org_unit_id.to_string(),
                path.as_str(),
                seq,
                now,
                &key,
                expected_version
            ]
        );
        conflict_unless(n, EntityKind::User, new.id.0, expected_version)?;
        let before = NewUser {
            id: old.id,
            username: old.username.clone(),
            display_name: old.display_name.clone(),
            role: old.role,
            org_unit_id: old.org_unit_id,
        };
        let mut detail = audit_diff(&before, new);
        if scope_changes {
            let revoked = self.revoke_sessions_of(new.id).await?;
            if let Some(map) = detail.as_object_mut() {
                map.insert("sessions_revoked".into(), revoked.into());
            }
        }
        self.audit(
            AuditAction::Update,
            EntityKind::User,
            new.id.0,
            &path,
            &detail,
        )
        .await?;
        self.user(new.id).await
    }

    /// Turns a login off (or on again) without deleting the account or its history. Turning
    /// it off revokes the user's sessions in the same transaction. The user must be in the
    /// actor's scope, of a role the actor may manage ([`Actor::may_manage`]), and not the
    /// actor itself when turning off ([`StoreError::OwnAccount`]).
    pub async fn set_user_active(
        &mut self,
        id: UserId,
        expected_version: i64,
        active: bool,
    ) -> Result<User> {
        let state = self
            .check_version(EntityKind::User, id.0, expected_version)
            .await?;
        if !active && self.actor.principal == Principal::User(id) {
            return Err(StoreError::OwnAccount { id: id.0 });
        }
        let target = self.user(id).await?;
        self.actor.check_may_manage(target.role)?;
        let seq = self.next_seq(1).await?;
        let now = self.now;
        let key = id.to_string();
        let n = execute!(
            on_tx,
            self,
            "UPDATE app_user SET active = $1, version = version + 1, seq = $2, updated_at = $3 \
             WHERE id = $4 AND version = $5",
            [active, seq, now, &key, expected_version]
        );
        conflict_unless(n, EntityKind::User, id.0, expected_version)?;
        // A deactivated user is logged out everywhere, in this same transaction.
        let revoked = if active {
            0
        } else {
            self.revoke_sessions_of(id).await?
        };
        let detail = serde_json::json!({
            "changed": { "active": { "to": active } },
            "sessions_revoked": revoked,
        });
        self.audit(
            AuditAction::Update,
            EntityKind::User,
            id.0,
            &state.path,
            &detail,
        )
        .await?;
        self.user(id).await
    }

    async fn user(&mut self, id: UserId) -> Result<User> {
        let key = id.to_string();
        fetch_opt!(
            on_tx,
            self,
            "SELECT * FROM app_user WHERE id = $1",
            [&key],
            row::user
        )?
        .ok_or(StoreError::NotFound {
            entity: EntityKind::User,
            id: id.0,
        })
    }
}

impl Store {
    /// Creates an account with its first password in one transaction on behalf of `actor`
    /// (audited as the actor). `hash` comes from [`crate::password::hash_new`], which
    /// checks the password rule. Refuses a unit outside the actor's scope, a role the actor
    /// may not manage and a username already taken.
    pub async fn add_user(
        &self,
        actor: &Actor,
        new: &NewUser,
        hash: &PasswordHash,
    ) -> Result<User> {
        let mut tx = self.begin(actor).await?;
        let user = tx.create_user(new).await?.record;
        let user = tx.set_password(user.id, hash).await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Deactivates the account `id` at its current version and ends all its sessions, in
    /// one transaction on behalf of `actor` (see [`Tx::set_user_active`] for who may).
    pub async fn deactivate_user(&self, actor: &Actor, id: UserId) -> Result<User> {
        let mut tx = self.begin(actor).await?;
        let version = tx.row_state(EntityKind::User, id.0).await?.version;
        let user = tx.set_user_active(id, version, false).await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Lets a deactivated account `id` log in again with its old password, in one audited
    /// transaction on behalf of `actor` (who must be allowed to manage its role). An account
    /// already active is returned as it is, nothing written: a second click changes nothing.
    pub async fn reactivate_user(&self, actor: &Actor, id: UserId) -> Result<User> {
        let mut tx = self.begin(actor).await?;
        let state = tx
            .row_state(EntityKind::User, id.0)
            .await
            .map_err(hide_out_of_scope)?;
        let current = tx.user(id).await?;
        if current.active {
            return Ok(current);
        }
        let user = tx.set_user_active(id, state.version, true).await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Gives account `id` (at `expected_version`) the role `role` and the unit `unit`, in one
    /// audited transaction on behalf of `actor`, ending the account's sessions (their scope
    /// changed). `actor` must be allowed to manage both the old and the new role, `unit` must
    /// lie in its subtree ([`StoreError::OutOfScope`] for the unit), and nobody changes their
    /// own ([`StoreError::OwnScope`]). The same role and unit again write nothing.
    pub async fn reassign_user(
        &self,
        actor: &Actor,
        id: UserId,
        expected_version: i64,
        role: Role,
        unit: OrgUnitId,
    ) -> Result<User> {
        let mut tx = self.begin(actor).await?;
        tx.check_version(EntityKind::User, id.0, expected_version)
            .await
            .map_err(hide_out_of_scope)?;
        let old = tx.user(id).await?;
        if old.role == role && old.org_unit_id == unit {
            return Ok(old);
        }
        let new = NewUser {
            id,
            username: old.username,
            display_name: old.display_name,
            role,
            org_unit_id: unit,
        };
        let user = tx.update_user(expected_version, &new).await?;
        tx.commit().await?;
        Ok(user)
    }
}

/// A user outside the actor's subtree, told apart from an unknown one by nothing.
fn hide_out_of_scope(e: StoreError) -> StoreError {
    match e {
        StoreError::OutOfScope {
            entity: EntityKind::User,
            id,
        } => StoreError::NotFound {
            entity: EntityKind::User,
            id,
        },
        e => e,
    }
}
