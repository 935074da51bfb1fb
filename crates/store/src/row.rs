//! Decoding rows of either engine into record types, written once over a small [`Get`] trait.

use sqlx::Row;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::error::{Result, StoreError};
use crate::ids::OrgPath;
use crate::model::*;
use crate::nik::Nik;

/// Column access shared by [`SqliteRow`] and [`PgRow`].
pub(crate) trait Get {
    fn text(&self, col: &str) -> Result<String>;
    fn opt_text(&self, col: &str) -> Result<Option<String>>;
    fn int(&self, col: &str) -> Result<i64>;
    fn opt_i32(&self, col: &str) -> Result<Option<i32>>;
    fn real(&self, col: &str) -> Result<f64>;
    fn opt_real(&self, col: &str) -> Result<Option<f64>>;
    fn flag(&self, col: &str) -> Result<bool>;
    fn date(&self, col: &str) -> Result<Date>;
    fn opt_date(&self, col: &str) -> Result<Option<Date>>;
    fn time(&self, col: &str) -> Result<OffsetDateTime>;
    fn opt_time(&self, col: &str) -> Result<Option<OffsetDateTime>>;
}

macro_rules! impl_get {
    ($row:ty) => {
        impl Get for $row {
            fn text(&self, col: &str) -> Result<String> {
                Ok(self.try_get(col)?)
            }
            fn opt_text(&self, col: &str) -> Result<Option<String>> {
                Ok(self.try_get(col)?)
            }
            fn int(&self, col: &str) -> Result<i64> {
                Ok(self.try_get(col)?)
            }
            fn opt_i32(&self, col: &str) -> Result<Option<i32>> {
                Ok(self.try_get(col)?)
            }
            fn real(&self, col: &str) -> Result<f64> {
                Ok(self.try_get(col)?)
            }
            fn opt_real(&self, col: &str) -> Result<Option<f64>> {
                Ok(self.try_get(col)?)
            }
            fn flag(&self, col: &str) -> Result<bool> {
                Ok(self.try_get(col)?)
            }
            fn date(&self, col: &str) -> Result<Date> {
                Ok(self.try_get(col)?)
            }
            fn opt_date(&self, col: &str) -> Result<Option<Date>> {
                Ok(self.try_get(col)?)
            }
            fn time(&self, col: &str) -> Result<OffsetDateTime> {
                Ok(self.try_get(col)?)
            }
            fn opt_time(&self, col: &str) -> Result<Option<OffsetDateTime>> {
                Ok(self.try_get(col)?)
            }
        }
    };
}
impl_get!(SqliteRow);
impl_get!(PgRow);

fn corrupt(column: &'static str, value: &str) -> StoreError {
    StoreError::Corrupt {
        column,
        value: value.to_owned(),
    }
}

fn uuid(r: &impl Get, col: &'static str) -> Result<Uuid> {
    let t = r.text(col)?;
    Uuid::parse_str(&t).map_err(|_| corrupt(col, &t))
}

/// A person and a date (`person_id`, `last` as ISO text): the latest-date aggregates.
pub(crate) fn person_date(r: &impl Get) -> Result<(PersonId, Date)> {
    let t = r.text("last")?;
    let iso = time::macros::format_description!("[year]-[month]-[day]");
    let d = Date::parse(t.get(..10).unwrap_or(&t), &iso).map_err(|_| corrupt("last", &t))?;
    Ok((id(r, "person_id")?, d))
}

/// A child's id (`child_id`) and the mother's person row (the other columns).
pub(crate) fn child_and_mother(r: &impl Get) -> Result<(PersonId, Person)> {
    Ok((id(r, "child_id")?, person(r)?))
}

pub(crate) fn id<T: From<Uuid>>(r: &impl Get, col: &'static str) -> Result<T> {
    uuid(r, col).map(T::from)
}

fn opt_id<T: From<Uuid>>(r: &impl Get, col: &'static str) -> Result<Option<T>> {
    match r.opt_text(col)? {
        None => Ok(None),
        Some(t) => Uuid::parse_str(&t)
            .map(|u| Some(T::from(u)))
            .map_err(|_| corrupt(col, &t)),
    }
}

fn path(r: &impl Get) -> Result<OrgPath> {
    let t = r.text("org_path")?;
    OrgPath::parse(&t).map_err(|_| corrupt("org_path", &t))
}

fn code<T>(r: &impl Get, col: &'static str, parse: fn(&str) -> Option<T>) -> Result<T> {
    let t = r.text(col)?;
    parse(&t).ok_or_else(|| corrupt(col, &t))
}

fn meta(r: &impl Get) -> Result<RowMeta> {
    let deleted = match r.opt_time("deleted_at")? {
        None => None,
        Some(at) => Some(Deletion {
            at,
            reason: r.opt_text("delete_reason")?.unwrap_or_default(),
        }),
    };
    Ok(RowMeta {
        version: r.int("version")?,
        seq: r.int("seq")?,
        created_at: r.time("created_at")?,
        updated_at: r.time("updated_at")?,
        deleted,
    })
}

pub(crate) fn org_unit(r: &impl Get) -> Result<OrgUnit> {
    Ok(OrgUnit {
        id: id(r, "id")?,
        parent_id: opt_id(r, "parent_id")?,
        level: code(r, "level", OrgLevel::from_code)?,
        code: r.text("code")?,
        name: r.text("name")?,
        region_code: r.opt_text("region_code")?,
        region_decree: r.opt_text("region_decree")?,
        time_zone: code(r, "time_zone", TimeZone::from_code)?,
        path: path(r)?,
        meta: meta(r)?,
    })
}

pub(crate) fn user(r: &impl Get) -> Result<User> {
    Ok(User {
        id: id(r, "id")?,
        username: r.text("username")?,
        display_name: r.text("display_name")?,
        role: code(r, "role", Role::from_code)?,
        org_unit_id: id(r, "org_unit_id")?,
        org_path: path(r)?,
        active: r.flag("active")?,
        meta: meta(r)?,
    })
}

pub(crate) fn household(r: &impl Get) -> Result<Household> {
    Ok(Household {
        id: id(r, "id")?,
        org_unit_id: id(r, "org_unit_id")?,
        org_path: path(r)?,
        kk_number: r.opt_text("kk_number")?,
        head_name: r.text("head_name")?,
        address: r.opt_text("address")?,
        rt: r.opt_text("rt")?,
        rw: r.opt_text("rw")?,
        meta: meta(r)?,
    })
}

pub(crate) fn person(r: &impl Get) -> Result<Person> {
    let nik = match r.opt_text("nik")? {
        None => None,
        // Never echo the stored value: it is a NIK.
        Some(t) => Some(Nik::parse(&t).map_err(|_| corrupt("nik", "<redacted>"))?),
    };
    Ok(Person {
        id: id(r, "id")?,
        household_id: opt_id(r, "household_id")?,
        org_unit_id: id(r, "org_unit_id")?,
        org_path: path(r)?,
        name: r.text("name")?,
        sex: code(r, "sex", Sex::from_code)?,
        birth_date: r.date("birth_date")?,
        birth_date_estimated: r.flag("birth_date_estimated")?,
        nik,
        nik_is_mother: r.flag("nik_is_mother")?,
        phone: r.opt_text("phone")?,
        parent_name: r.opt_text("parent_name")?,
        meta: meta(r)?,
    })
}

pub(crate) fn relationship(r: &impl Get) -> Result<Relationship> {
    Ok(Relationship {
        id: id(r, "id")?,
        person_id: id(r, "person_id")?,
        kind: code(r, "kind", RelationKind::from_code)?,
        related_person_id: id(r, "related_person_id")?,
        org_path: path(r)?,
        meta: meta(r)?,
    })
}

pub(crate) fn pregnancy(r: &impl Get) -> Result<Pregnancy> {
    let outcome = match r.opt_text("outcome")? {
        None => None,
        Some(t) => Some(PregnancyOutcome::from_code(&t).ok_or_else(|| corrupt("outcome", &t))?),
    };
    Ok(Pregnancy {
        id: id(r, "id")?,
        person_id: id(r, "person_id")?,
        org_path: path(r)?,
        lmp: r.opt_date("lmp")?,
        due_date: r.opt_date("due_date")?,
        gravida: r.opt_i32("gravida")?,
        para: r.opt_i32("para")?,
        abortus: r.opt_i32("abortus")?,
        high_risk: r.flag("high_risk")?,
        outcome,
        outcome_date: r.opt_date("outcome_date")?,
        meta: meta(r)?,
    })
}

pub(crate) fn service_day(r: &impl Get) -> Result<ServiceDay> {
    Ok(ServiceDay {
        id: id(r, "id")?,
        org_unit_id: id(r, "org_unit_id")?,
        org_path: path(r)?,
        date: r.date("day")?,
        note: r.opt_text("note")?,
        captured_at: r.time("captured_at")?,
        captured_by: r.text("captured_by")?,
        closed: match (r.opt_time("closed_at")?, r.opt_text("closed_by")?) {
            (Some(at), Some(by)) => Some(DayClosed { at, by }),
            _ => None,
        },
        meta: meta(r)?,
    })
}

pub(crate) fn visit(r: &impl Get) -> Result<Visit> {
    Ok(Visit {
        id: id(r, "id")?,
        person_id: id(r, "person_id")?,
        service_day_id: opt_id(r, "service_day_id")?,
        org_unit_id: id(r, "org_unit_id")?,
        org_path: path(r)?,
        date: r.date("day")?,
        captured_at: r.time("captured_at")?,
        captured_by: r.text("captured_by")?,
        meta: meta(r)?,
    })
}

pub(crate) fn measurement(r: &impl Get) -> Result<Measurement> {
    Ok(Measurement {
        id: id(r, "id")?,
        person_id: id(r, "person_id")?,
        visit_id: opt_id(r, "visit_id")?,
        org_unit_id: id(r, "org_unit_id")?,
        org_path: path(r)?,
        measured_on: r.date("day")?,
        kind: code(r, "kind", MeasurementKind::from_code)?,
        value: r.real("value")?,
        unit: code(r, "unit", Unit::from_code)?,
        implausible: r.flag("implausible")?,
        captured_at: r.time("captured_at")?,
        captured_by: r.text("captured_by")?,
        meta: meta(r)?,
    })
}

pub(crate) fn dose(r: &impl Get) -> Result<Dose> {
    Ok(Dose {
        id: id(r, "id")?,
        person_id: id(r, "person_id")?,
        visit_id: opt_id(r, "visit_id")?,
        org_unit_id: id(r, "org_unit_id")?,
        org_path: path(r)?,
        given_on: r.date("day")?,
        vaccine: r.text("vaccine")?,
        dose_number: r.opt_i32("dose_number")?,
        batch: r.opt_text("batch")?,
        captured_at: r.time("captured_at")?,
        captured_by: r.text("captured_by")?,
        meta: meta(r)?,
    })
}

pub(crate) fn screening(r: &impl Get) -> Result<Screening> {
    let raw = r.text("answers")?;
    let answers = serde_json::from_str(&raw).map_err(|_| corrupt("answers", &raw))?;
    Ok(Screening {
        id: id(r, "id")?,
        person_id: id(r, "person_id")?,
        visit_id: opt_id(r, "visit_id")?,
        org_unit_id: id(r, "org_unit_id")?,
        org_path: path(r)?,
        answered_on: r.date("day")?,
        questionnaire: r.text("questionnaire")?,
        answers,
        score: r.opt_real("score")?,
        captured_at: r.time("captured_at")?,
        captured_by: r.text("captured_by")?,
        meta: meta(r)?,
    })
}

pub(crate) fn finding(r: &impl Get) -> Result<Finding> {
    Ok(Finding {
        id: id(r, "id")?,
        person_id: id(r, "person_id")?,
        visit_id: opt_id(r, "visit_id")?,
        org_unit_id: id(r, "org_unit_id")?,
        org_path: path(r)?,
        found_on: r.date("day")?,
        code: r.text("code")?,
        detail: r.opt_text("detail")?,
        captured_at: r.time("captured_at")?,
        captured_by: r.text("captured_by")?,
        meta: meta(r)?,
    })
}

pub(crate) fn referral(r: &impl Get) -> Result<Referral> {
    Ok(Referral {
        id: id(r, "id")?,
        person_id: id(r, "person_id")?,
        finding_id: opt_id(r, "finding_id")?,
        org_unit_id: id(r, "org_unit_id")?,
        org_path: path(r)?,
        referred_on: r.date("day")?,
        to_facility: r.text("to_facility")?,
        reason: r.text("reason")?,
        status: code(r, "status", ReferralStatus::from_code)?,
        status_note: r.opt_text("status_note")?,
        meta: meta(r)?,
    })
}

pub(crate) fn audit(r: &impl Get) -> Result<AuditEntry> {
    let raw = r.text("detail")?;
    Ok(AuditEntry {
        id: id(r, "id")?,
        at: r.time("at")?,
        actor: r.text("actor")?,
        action: code(r, "action", AuditAction::from_code)?,
        entity: code(r, "entity", EntityKind::from_code)?,
        entity_id: uuid(r, "entity_id")?,
        org_path: path(r)?,
        detail: serde_json::from_str(&raw).map_err(|_| corrupt("detail", &raw))?,
    })
}

/// Decodes a row of `kind`'s table into the matching [`Record`].
pub(crate) fn record(kind: EntityKind, r: &impl Get) -> Result<Record> {
    Ok(match kind {
        EntityKind::OrgUnit => Record::OrgUnit(org_unit(r)?),
        EntityKind::User => Record::User(user(r)?),
        EntityKind::Household => Record::Household(household(r)?),
        EntityKind::Person => Record::Person(person(r)?),
        EntityKind::Relationship => Record::Relationship(relationship(r)?),
        EntityKind::Pregnancy => Record::Pregnancy(pregnancy(r)?),
        EntityKind::ServiceDay => Record::ServiceDay(service_day(r)?),
        EntityKind::Visit => Record::Visit(visit(r)?),
        EntityKind::Measurement => Record::Measurement(measurement(r)?),
        EntityKind::Dose => Record::Dose(dose(r)?),
        EntityKind::Screening => Record::Screening(screening(r)?),
        EntityKind::Finding => Record::Finding(finding(r)?),
        EntityKind::Referral => Record::Referral(referral(r)?),
    })
}
