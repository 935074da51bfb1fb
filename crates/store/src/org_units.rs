//! Reads of the org tree inside a unit of work, for commands that build the tree
//! (`posyandu region init`, `unit add`): they check what is already there and write in the
//! same transaction, so a check and the write it allows cannot be split by another writer's
//! commit on either engine. Plus the whole tree in an actor's scope, for listing it.

use crate::actor::Actor;
use crate::codes::EntityKind;
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::fetch::{fetch_all, fetch_opt};
use crate::ids::{OrgPath, OrgUnitId};
use crate::model::OrgUnit;
use crate::row;
use crate::tx::Tx;

impl Tx {
    /// Waits for every other writer to finish and holds them off until this unit of work
    /// ends, so that the checks which follow read a tree nobody else is changing (two
    /// officers adding the same desa to two Puskesmas at once: the second is told who has
    /// it, instead of failing on a key). It takes the lock of the change-sequence counter
    /// row (on SQLite every write takes it anyway, only later; on PostgreSQL only these
    /// tree checks take it, see `Tx::next_seq`); nothing is changed.
    pub async fn serialize_writes(&mut self) -> Result<()> {
        crate::fetch::execute!(
            on_tx,
            self,
            "UPDATE seq_counter SET value = value WHERE id = 1",
            []
        );
        Ok(())
    }

    /// The unit with this id, if it exists (soft-deleted ones too: see `meta.deleted`).
    /// A unit outside the actor's scope is [`StoreError::OutOfScope`].
    pub async fn find_org_unit(&mut self, id: OrgUnitId) -> Result<Option<OrgUnit>> {
        let u: Option<OrgUnit> = fetch_opt!(
            on_tx,
            self,
            "SELECT * FROM org_unit WHERE id = $1",
            [id.to_string()],
            row::org_unit
        )?;
        self.visible(u)
    }

    /// The live unit at this path, if any.
    pub async fn find_org_unit_by_path(&mut self, path: &OrgPath) -> Result<Option<OrgUnit>> {
        let u: Option<OrgUnit> = fetch_opt!(
            on_tx,
            self,
            "SELECT * FROM org_unit WHERE org_path = $1 AND deleted_at IS NULL",
            [path.as_str()],
            row::org_unit
        )?;
        self.visible(u)
    }

    /// The live children of a unit, in path order.
    pub async fn org_unit_children(&mut self, parent: OrgUnitId) -> Result<Vec<OrgUnit>> {
        let units: Vec<OrgUnit> = fetch_all!(
            on_tx,
            self,
            "SELECT * FROM org_unit WHERE parent_id = $1 AND deleted_at IS NULL ORDER BY org_path",
            [parent.to_string()],
            row::org_unit
        )?;
        match units.first() {
            Some(u) if !self.actor.can_see(&u.path) => Err(StoreError::OutOfScope {
                entity: EntityKind::OrgUnit,
                id: parent.0,
            }),
            _ => Ok(units),
        }
    }

    fn visible(&self, u: Option<OrgUnit>) -> Result<Option<OrgUnit>> {
        match u {
            Some(u) if !self.actor.can_see(&u.path) => Err(StoreError::OutOfScope {
                entity: EntityKind::OrgUnit,
                id: u.id.0,
            }),
            u => Ok(u),
        }
    }
}

impl Store {
    /// Every live unit the actor may see, in path order (the whole tree for a system actor).
    pub async fn org_units_in_scope(&self, actor: &Actor) -> Result<Vec<OrgUnit>> {
        let (lo, hi) = actor.scope.range();
        fetch_all!(
            on_pool,
            self,
            "SELECT * FROM org_unit WHERE org_path >= $1 AND org_path < $2 AND deleted_at IS NULL \
             ORDER BY org_path",
            [&lo, &hi],
            row::org_unit
        )
    }
}
