//! Person writes: persons (with NIK warnings), relationships and pregnancy episodes.

use crate::codes::{AuditAction, EntityKind, PregnancyOutcome, Sex};
use crate::error::{Result, StoreError};
use crate::fetch::{execute, fetch_opt};
use crate::ids::{PersonId, PregnancyId};
use crate::model::*;
use crate::nik::{self, NikWarning};
use crate::registry::{conflict_unless, required};
use crate::row;
use crate::tx::{Tx, audit_diff, audit_value};

impl Tx {
    /// Registers a person. NIK problems come back as warnings; they never block the write.
    pub async fn create_person(
        &mut self,
        new: &NewPerson,
    ) -> Result<(Stored<Person>, Vec<NikWarning>)> {
        self.insert_person(new, None).await
    }

    /// [`Tx::create_person`] with the parent's name a register gives (`Nama Ibu`), in the
    /// same insert. A person already stored under the id is returned as it is.
    pub async fn create_person_with_parent_name(
        &mut self,
        new: &NewPerson,
        parent_name: Option<&str>,
    ) -> Result<(Stored<Person>, Vec<NikWarning>)> {
        self.insert_person(new, parent_name).await
    }

    async fn insert_person(
        &mut self,
        new: &NewPerson,
        parent_name: Option<&str>,
    ) -> Result<(Stored<Person>, Vec<NikWarning>)> {
        let parent_name = match parent_name {
            Some(n) => Some(clean_parent_name(n)?),
            None => None,
        };
        self.validate_person(new).await?;
        let warnings = person_warnings(new);
        let path = self.unit_path_in_scope(new.org_unit_id).await?;
        let key = new.id.to_string();
        if let Some(p) = self.try_person(&key).await? {
            return Ok((
                self.duplicate(p.org_path.clone(), EntityKind::Person, p)?,
                warnings,
            ));
        }
        let seq = self.next_seq(1).await?;
        let now = self.now;
        execute!(
            on_tx,
            self,
            "INSERT INTO person (id, household_id, org_unit_id, org_path, name, sex, birth_date, \
             birth_date_estimated, nik, nik_is_mother, phone, parent_name, version, seq, created_at, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $14, $14)",
            [
                &key,
                new.household_id.map(|h| h.to_string()),
                new.org_unit_id.to_string(),
                path.as_str(),
                new.name.trim(),
                new.sex.code(),
                new.birth_date,
                new.birth_date_estimated,
                new.nik.as_ref().map(|n| n.as_str()),
                new.nik_is_mother,
                &new.phone,
                &parent_name,
                seq,
                now
            ]
        );
        let mut detail = audit_value(new);
        if let (Some(name), serde_json::Value::Object(map)) = (&parent_name, &mut detail) {
            map.insert("parent_name".into(), name.clone().into());
        }
        self.audit(
            AuditAction::Create,
            EntityKind::Person,
            new.id.0,
            &path,
            &detail,
        )
        .await?;
        self.known.insert((EntityKind::Person, new.id.0));
        let record = self.person(new.id).await?;
        Ok((
            Stored {
                record,
                outcome: Outcome::Inserted,
            },
            warnings,
        ))
    }

    /// Replaces the person's fields, based on `expected_version`.
    pub async fn update_person(
        &mut self,
        expected_version: i64,
        new: &NewPerson,
    ) -> Result<(Person, Vec<NikWarning>)> {
        self.validate_person(new).await?;
        let warnings = person_warnings(new);
        self.check_version(EntityKind::Person, new.id.0, expected_version)
            .await?;
        let old = self.person(new.id).await?;
        let path = self.unit_path_in_scope(new.org_unit_id).await?;
        let seq = self.next_seq(1).await?;
        let now = self.now;
        let key = new.id.to_string();
        let n = execute!(
            on_tx,
            self,
            "UPDATE person SET household_id = $1, org_unit_id = $2, org_path = $3, name = $4, \
             sex = $5, birth_date = $6, birth_date_estimated = $7, nik = $8, nik_is_mother = $9, \
             phone = $10, version = version + 1, seq = $11, updated_at = $12 \
             WHERE id = $13 AND version = $14",
            [
                new.household_id.map(|h| h.to_string()),
                new.org_unit_id.to_string(),
                path.as_str(),
                new.name.trim(),
                new.sex.code(),
                new.birth_date,
                new.birth_date_estimated,
                new.nik.as_ref().map(|n| n.as_str()),
                new.nik_is_mother,
                &new.phone,
                seq,
                now,
                &key,
                expected_version
            ]
        );
        conflict_unless(n, EntityKind::Person, new.id.0, expected_version)?;
        let before = person_input(&old);
        self.audit(
            AuditAction::Update,
            EntityKind::Person,
            new.id.0,
            &path,
            &audit_diff(&before, new),
        )
        .await?;
        Ok((self.person(new.id).await?, warnings))
    }

    /// Records the parent's name as a register writes it (`Nama Ibu` / `Nama Ortu`), based
    /// on `expected_version`. Returns the person as stored; the same name again changes
    /// nothing (no new version).
    pub async fn set_parent_name(
        &mut self,
        id: PersonId,
        expected_version: i64,
        parent_name: &str,
    ) -> Result<Person> {
        let name = clean_parent_name(parent_name)?;
        let old = self.person_in_scope(id).await?;
        if old.parent_name.as_deref() == Some(name.as_str()) {
            return Ok(old);
        }
        self.check_version(EntityKind::Person, id.0, expected_version)
            .await?;
        let seq = self.next_seq(1).await?;
        let now = self.now;
        let key = id.to_string();
        let n = execute!(
            on_tx,
            self,
            "UPDATE person SET parent_name = $1, version = version + 1, seq = $2, updated_at = $3 \
             WHERE id = $4 AND version = $5",
            [&name, seq, now, &key, expected_version]
        );
        conflict_unless(n, EntityKind::Person, id.0, expected_version)?;
        let detail = serde_json::json!({ "changed": {
            "parent_name": { "from": old.parent_name, "to": name } } });
        self.audit(
            AuditAction::Update,
            EntityKind::Person,
            id.0,
            &old.org_path,
            &detail,
        )
        .await?;
        self.person(id).await
    }

    async fn validate_person(&mut self, new: &NewPerson) -> Result<()> {
        required("name", &new.name)?;
        if new.birth_date > self.now.date() {
            return Err(StoreError::invalid(
                "birth_date",
                new.birth_date,
                "di masa depan",
            ));
        }
        if let Some(h) = new.household_id {
            // A clear error instead of a foreign-key failure; the household must be in scope.
            let state = match self.row_state(EntityKind::Household, h.0).await {
                Err(StoreError::NotFound { .. }) => None,
                other => Some(other?),
            };
            if state.is_none_or(|s| s.deleted) {
                return Err(StoreError::invalid(
                    "household_id",
                    h,
                    "tidak ditemukan atau sudah dihapus",
                ));
            }
        }
        Ok(())
    }

    pub(crate) async fn person(&mut self, id: PersonId) -> Result<Person> {
        self.try_person(&id.to_string())
            .await?
            .ok_or(StoreError::NotFound {
                entity: EntityKind::Person,
                id: id.0,
            })
    }

    async fn try_person(&mut self, key: &str) -> Result<Option<Person>> {
        fetch_opt!(
            on_tx,
            self,
            "SELECT * FROM person WHERE id = $1",
            [key],
            row::person
        )
    }

    /// The person, refusing one outside the actor's scope or deleted.
    pub(crate) async fn person_in_scope(&mut self, id: PersonId) -> Result<Person> {
        let p = self.person(id).await?;
        if !self.actor.can_see(&p.org_path) {
            return Err(StoreError::OutOfScope {
                entity: EntityKind::Person,
                id: id.0,
            });
        }
        if p.meta.deleted.is_some() {
            return Err(StoreError::Deleted {
                entity: EntityKind::Person,
                id: id.0,
            });
        }
        Ok(p)
    }

    /// Links two persons ("person is mother of related person").
    pub async fn create_relationship(
        &mut self,
        new: &NewRelationship,
    ) -> Result<Stored<Relationship>> {
        if new.person_id == new.related_person_id {
            return Err(StoreError::invalid(
                "related_person_id",
                new.related_person_id,
                "sama dengan person_id",
            ));
        }
        let person = self.person_in_scope(new.person_id).await?;
        self.person_in_scope(new.related_person_id).await?;
        if new.kind == RelationKind::MotherOf && person.sex != Sex::Female {
            return Err(StoreError::invalid(
                "kind",
                new.kind.code(),
                "ibu harus perempuan",
            ));
        }
        let key = new.id.to_string();
        if let Some(r) = self.try_relationship(&key).await? {
            return self.duplicate(r.org_path.clone(), EntityKind::Relationship, r);
        }
        let seq = self.next_seq(1).await?;
        let now = self.now;
        execute!(
            on_tx,
            self,
            "INSERT INTO relationship (id, person_id, kind, related_person_id, org_path, version, seq, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $7)",
            [
                &key,
                new.person_id.to_string(),
                new.kind.code(),
                new.related_person_id.to_string(),
                person.org_path.as_str(),
                seq,
                now
            ]
        );
        self.audit(
            AuditAction::Create,
            EntityKind::Relationship,
            new.id.0,
            &person.org_path,
            &audit_value(new),
        )
        .await?;
        let record = self
            .try_relationship(&key)
            .await?
            .ok_or(StoreError::NotFound {
                entity: EntityKind::Relationship,
                id: new.id.0,
            })?;
        Ok(Stored {
            record,
            outcome: Outcome::Inserted,
        })
    }

    async fn try_relationship(&mut self, key: &str) -> Result<Option<Relationship>> {
        fetch_opt!(
            on_tx,
            self,
            "SELECT * FROM relationship WHERE id = $1",
            [key],
            row::relationship
        )
    }

    /// Opens a pregnancy episode for a woman.
    pub async fn open_pregnancy(&mut self, new: &NewPregnancy) -> Result<Stored<Pregnancy>> {
        let person = self.person_in_scope(new.person_id).await?;
        if person.sex != Sex::Female {
            return Err(StoreError::invalid(
                "person_id",
                new.person_id,
                "kehamilan hanya untuk perempuan",
            ));
        }
        if let (Some(lmp), Some(due)) = (new.lmp, new.due_date)
            && due <= lmp
        {
            return Err(StoreError::invalid("due_date", due, "harus sesudah HPHT"));
        }
        for (field, v) in [
            ("gravida", new.gravida),
            ("para", new.para),
            ("abortus", new.abortus),
        ] {
            if let Some(n) = v
                && !(0..=30).contains(&n)
            {
                return Err(StoreError::invalid(field, n, "di luar 0–30"));
            }
        }
        let key = new.id.to_string();
        if let Some(p) = self.try_pregnancy(&key).await? {
            return self.duplicate(p.org_path.clone(), EntityKind::Pregnancy, p);
        }
        let seq = self.next_seq(1).await?;
        let now = self.now;
        execute!(
            on_tx,
            self,
            "INSERT INTO pregnancy (id, person_id, org_path, lmp, due_date, gravida, para, abortus, \
             high_risk, version, seq, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11, $11)",
            [
                &key,
                new.person_id.to_string(),
                person.org_path.as_str(),
                new.lmp,
                new.due_date,
                new.gravida,
                new.para,
                new.abortus,
                new.high_risk,
                seq,
                now
            ]
        );
        self.audit(
            AuditAction::Create,
            EntityKind::Pregnancy,
            new.id.0,
            &person.org_path,
            &audit_value(new),
        )
        .await?;
        let record = self
            .try_pregnancy(&key)
            .await?
            .ok_or(StoreError::NotFound {
                entity: EntityKind::Pregnancy,
                id: new.id.0,
            })?;
        Ok(Stored {
            record,
            outcome: Outcome::Inserted,
        })
    }

    /// Closes a pregnancy episode with its outcome.
    pub async fn record_pregnancy_outcome(
        &mut self,
        id: PregnancyId,
        expected_version: i64,
        outcome: PregnancyOutcome,
        on: time::Date,
    ) -> Result<Pregnancy> {
        let state = self
            .check_version(EntityKind::Pregnancy, id.0, expected_version)
            .await?;
        let key = id.to_string();
        let old = self
            .try_pregnancy(&key)
            .await?
            .ok_or(StoreError::NotFound {
                entity: EntityKind::Pregnancy,
                id: id.0,
            })?;
        if let Some(lmp) = old.lmp
            && on < lmp
        {
            return Err(StoreError::invalid("outcome_date", on, "sebelum HPHT"));
        }
        let seq = self.next_seq(1).await?;
        let now = self.now;
        let n = execute!(
            on_tx,
            self,
            "UPDATE pregnancy SET outcome = $1, outcome_date = $2, version = version + 1, seq = $3, \
             updated_at = $4 WHERE id = $5 AND version = $6",
            [outcome.code(), on, seq, now, &key, expected_version]
        );
        conflict_unless(n, EntityKind::Pregnancy, id.0, expected_version)?;
        let detail = serde_json::json!({ "changed": {
            "outcome": { "from": old.outcome, "to": outcome },
            "outcome_date": { "from": old.outcome_date, "to": on } } });
        self.audit(
            AuditAction::Update,
            EntityKind::Pregnancy,
            id.0,
            &state.path,
            &detail,
        )
        .await?;
        self.try_pregnancy(&key).await?.ok_or(StoreError::NotFound {
            entity: EntityKind::Pregnancy,
            id: id.0,
        })
    }

    async fn try_pregnancy(&mut self, key: &str) -> Result<Option<Pregnancy>> {
        fetch_opt!(
            on_tx,
            self,
            "SELECT * FROM pregnancy WHERE id = $1",
            [key],
            row::pregnancy
        )
    }
}

/// A parent's name with single spaces; required, at most 100 characters.
fn clean_parent_name(name: &str) -> Result<String> {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    required("parent_name", &name)?;
    if name.chars().count() > 100 {
        return Err(StoreError::invalid(
            "parent_name",
            &name,
            "lebih dari 100 karakter",
        ));
    }
    Ok(name)
}

fn person_warnings(new: &NewPerson) -> Vec<NikWarning> {
    new.nik
        .as_ref()
        .map(|n| nik::check(n, new.sex, new.birth_date, new.nik_is_mother))
        .unwrap_or_default()
}

impl Person {
    /// The fields a device may edit, as the base of a [`crate::PersonEdit`].
    pub fn editable(&self) -> NewPerson {
        person_input(self)
    }
}

pub(crate) fn person_input(p: &Person) -> NewPerson {
    NewPerson {
        id: p.id,
        household_id: p.household_id,
        org_unit_id: p.org_unit_id,
        name: p.name.clone(),
        sex: p.sex,
        birth_date: p.birth_date,
        birth_date_estimated: p.birth_date_estimated,
        nik: p.nik.clone(),
        nik_is_mother: p.nik_is_mother,
        phone: p.phone.clone(),
    }
}
