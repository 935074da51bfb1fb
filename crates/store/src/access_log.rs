//! Who saw what (issue 10 item 7): reading a person's record or exporting a list of persons
//! is personal data leaving the database, so it is audited like a change (`view`), and the
//! audit is read back per person and per user, within the reader's subtree.

use serde_json::Value;
use uuid::Uuid;

use crate::actor::Actor;
use crate::codes::{AuditAction, EntityKind};
use crate::db::Store;
use crate::error::Result;
use crate::fetch::fetch_all;
use crate::ids::OrgPath;
use crate::model::AuditEntry;
use crate::row;

impl Store {
    /// Records that `actor` saw `entity` (at `path`, which must be in the actor's scope),
    /// with what was shown in `detail` (never a NIK).
    pub async fn record_view(
        &self,
        actor: &Actor,
        entity: EntityKind,
        id: Uuid,
        path: &OrgPath,
        detail: &Value,
    ) -> Result<()> {
        let mut tx = self.begin(actor).await?;
        tx.audit(AuditAction::View, entity, id, path, detail)
            .await?;
        tx.commit().await
    }

    /// What an account did and saw, newest first, within the reader's subtree (at most
    /// `limit` entries).
    pub async fn audit_by_actor(
        &self,
        reader: &Actor,
        label: &str,
        limit: u32,
    ) -> Result<Vec<AuditEntry>> {
        let (lo, hi) = reader.scope.range();
        fetch_all!(
            on_pool,
            self,
            "SELECT * FROM audit_log WHERE actor = $1 AND org_path >= $2 AND org_path < $3 \
             ORDER BY at DESC, id DESC LIMIT $4",
            [label, &lo, &hi, i64::from(limit)],
            row::audit
        )
    }
}
