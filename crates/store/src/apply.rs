//! A laptop kept in step with a district server: the server's change feed applied here
//! ([`Store::apply_page`]), and what this database has to send back ([`Store::outgoing`],
//! [`Store::mark_pushed`]). The wire protocol is the phones' (`/api/v1/sync/pull` and
//! `/push`); the laptop is one more device of its user's subtree, and at the same time the
//! server of its own phones, which pull this database's feed.
//!
//! **Pulled rows** keep the server's id, version, times and deletion; their change number
//! here (`seq`) is this database's own, so the phones of the laptop pull them too. Each
//! page is one transaction, and the last server number applied (`sync_state.pulled_seq`)
//! moves in it: a sync cut off anywhere resumes after the last page that committed, and a
//! page applied twice changes nothing (a row at the version already taken is left alone).
//!
//! **The base of an edit made here**: every row taken from the server is noted in
//! `sync_base` with the server's version, the change number it got here, and for a person
//! or household its editable fields as the server had them. A change number here other
//! than the noted one means the row was changed on the laptop since. Such a person or
//! household is never overwritten by a pulled row: [`Store::outgoing`] sends it as a
//! `PersonEdit` / `HouseholdEdit` (base = the noted fields and version), the server merges
//! it field by field (conflicts go to the server's review list), and the pull that follows
//! brings the merged row, which then replaces the laptop's (its change number is the one
//! noted as sent). A server row that arrives while an edit made here is still unsent is
//! held (`pending`) and written once the edit is answered. Other kinds have no edit in the
//! protocol: the server's row wins unless the laptop's has a higher version (a day closed
//! or a capture deleted here), which is kept and counted.
//!
//! **Made here**: captures (service days, visits, measurements, doses, screenings,
//! findings) and registry creates (households, persons, relationships, pregnancies,
//! referrals: `{"NewPerson": …}`, see `store::push_create`) are found in this database's
//! feed after `sync_state.pushed_seq`; rows noted in `sync_base` came from the server and
//! are not sent back. A batch is in dependency order (households, persons, the rest of the
//! creates, captures, referrals, edits), so a person registered here and its weighing
//! arrive in one push. An item the server refuses is kept in `sync_retry` and sent again
//! next time. A create the server took is noted in `sync_base` (version 0: the pull that
//! follows brings the server's row); from then on the row is edited and deleted like a
//! pulled one. A person or household deleted here after it reached the server goes as
//! `PersonDelete` / `HouseholdDelete` from the noted version (the server reviews it if it
//! changed there). Changes the protocol cannot carry (org units and users made here, a
//! referral's later steps, other deletions) are counted as not sent.
//!
//! **References**: the feed is in server number order, so a person may come before the
//! household it points at (changed later, hence a higher number). Such a row waits in
//! `sync_parked` and is written as soon as what it points at is here. The top unit of the
//! user's subtree comes without its parent (outside the subtree): it is stored as a root.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use crate::actor::Actor;
use crate::codes::{AuditAction, EntityKind};
use crate::db::Store;
use crate::direct::Param;
use crate::error::{Result, StoreError};
use crate::fetch::{execute, fetch_all, fetch_opt};
use crate::ids::OrgPath;
use crate::merge::{HouseholdEdit, PersonEdit};
use crate::model::*;
use crate::person::person_input;
use crate::push_create::{Create, PersonCreate};
use crate::registry::household_input;
use crate::row::{self, Get};
use crate::tx::{Tx, TxConn};

/// Where a laptop stands with one server.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncState {
    /// The last number of the server's feed applied here.
    pub pulled_seq: i64,
    /// The last number of this database's feed sent to the server (or taken from it).
    pub pushed_seq: i64,
}

/// What applying pulled rows did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Applied {
    /// Rows written (new here, or a newer server version).
    pub written: u64,
    /// Rows already here at that version (a page applied again, a capture sent from here).
    pub unchanged: u64,
    /// Server rows not written because the laptop's row was changed here: a person or
    /// household edit to send first, or a newer version made here.
    pub kept: u64,
    /// Rows waiting for a row they point at, after this page (see the module doc); when
    /// pages are added up, the last page's count.
    pub parked: u64,
}

impl std::ops::AddAssign for Applied {
    fn add_assign(&mut self, o: Applied) {
        self.written += o.written;
        self.unchanged += o.unchanged;
        self.kept += o.kept;
        self.parked = o.parked;
    }
}

/// A registry edit or deletion made here, as the push carries it (`{"PersonEdit": …}`,
/// `{"PersonDelete": …}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum OutgoingEdit {
    PersonEdit(PersonEdit),
    HouseholdEdit(HouseholdEdit),
    PersonDelete(crate::deletion::Deletion),
    HouseholdDelete(crate::deletion::Deletion),
}

/// One item of a push, serialized as the server reads it: a registry create
/// (`{"NewPerson": …}`), a capture (`{"Visit": …}`) or an edit (`{"PersonEdit": …}`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum OutgoingItem {
    Create(Create),
    Capture(Capture),
    Edit(OutgoingEdit),
}

impl OutgoingItem {
    /// Its place in a push: what is pointed at goes first (the server orders a push the
    /// same way; see `store::push_create`).
    fn rank(&self) -> u8 {
        match self {
            OutgoingItem::Create(c) if c.before_captures() => c.rank(),
            OutgoingItem::Capture(_) => 10,
            OutgoingItem::Create(c) => 20 + c.rank(),
            OutgoingItem::Edit(_) => 30,
        }
    }
}

/// An item to send, with what [`Store::mark_pushed`] needs to note its answer.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub item: OutgoingItem,
    kind: EntityKind,
    id: Uuid,
    /// The row's change number here when it was read.
    local_seq: i64,
    /// A create that carries the whole row (not so a referral advanced or a pregnancy
    /// closed here before it was sent: the create cannot say it).
    whole: bool,
}

/// A batch of what this database has to send ([`Store::outgoing`]).
#[derive(Debug, Clone, Default)]
pub struct OutgoingBatch {
    pub items: Vec<Outgoing>,
    /// The feed number this batch covers up to: [`Store::mark_pushed`] moves the state here.
    pub upto: i64,
    /// More of the feed after `upto`.
    pub more: bool,
    /// Changes made here that the protocol cannot send, in this batch: org units and users
    /// made here, a referral's or pregnancy's later steps, deletions other than of persons
    /// and households.
    pub not_sent: u64,
}

/// A `sync_base` row.
struct Base {
    version: i64,
    local_seq: i64,
    pushed_seq: Option<i64>,
    pending: Option<String>,
}

fn sync_actor() -> Actor {
    Actor::system("sync")
}

/// The server URL as stored and audited: no password, no trailing slash.
fn server_key(server: &str) -> String {
    crate::db::redact_url(server.trim_end_matches('/'))
}

impl Record {
    pub fn kind(&self) -> EntityKind {
        match self {
            Record::OrgUnit(_) => EntityKind::OrgUnit,
            Record::User(_) => EntityKind::User,
            Record::Household(_) => EntityKind::Household,
            Record::Person(_) => EntityKind::Person,
            Record::Relationship(_) => EntityKind::Relationship,
            Record::Pregnancy(_) => EntityKind::Pregnancy,
            Record::ServiceDay(_) => EntityKind::ServiceDay,
            Record::Visit(_) => EntityKind::Visit,
            Record::Measurement(_) => EntityKind::Measurement,
            Record::Dose(_) => EntityKind::Dose,
            Record::Screening(_) => EntityKind::Screening,
            Record::Finding(_) => EntityKind::Finding,
            Record::Referral(_) => EntityKind::Referral,
        }
    }

    pub fn uuid(&self) -> Uuid {
        match self {
            Record::OrgUnit(x) => x.id.0,
            Record::User(x) => x.id.0,
            Record::Household(x) => x.id.0,
            Record::Person(x) => x.id.0,
            Record::Relationship(x) => x.id.0,
            Record::Pregnancy(x) => x.id.0,
            Record::ServiceDay(x) => x.id.0,
            Record::Visit(x) => x.id.0,
            Record::Measurement(x) => x.id.0,
            Record::Dose(x) => x.id.0,
            Record::Screening(x) => x.id.0,
            Record::Finding(x) => x.id.0,
            Record::Referral(x) => x.id.0,
        }
    }

    pub fn meta(&self) -> &RowMeta {
        match self {
            Record::OrgUnit(x) => &x.meta,
            Record::User(x) => &x.meta,
            Record::Household(x) => &x.meta,
            Record::Person(x) => &x.meta,
            Record::Relationship(x) => &x.meta,
            Record::Pregnancy(x) => &x.meta,
            Record::ServiceDay(x) => &x.meta,
            Record::Visit(x) => &x.meta,
            Record::Measurement(x) => &x.meta,
            Record::Dose(x) => &x.meta,
            Record::Screening(x) => &x.meta,
            Record::Finding(x) => &x.meta,
            Record::Referral(x) => &x.meta,
        }
    }

    pub fn org_path(&self) -> &OrgPath {
        match self {
            Record::OrgUnit(x) => &x.path,
            Record::User(x) => &x.org_path,
            Record::Household(x) => &x.org_path,
            Record::Person(x) => &x.org_path,
            Record::Relationship(x) => &x.org_path,
            Record::Pregnancy(x) => &x.org_path,
            Record::ServiceDay(x) => &x.org_path,
            Record::Visit(x) => &x.org_path,
            Record::Measurement(x) => &x.org_path,
            Record::Dose(x) => &x.org_path,
            Record::Screening(x) => &x.org_path,
            Record::Finding(x) => &x.org_path,
            Record::Referral(x) => &x.org_path,
        }
    }

    /// The rows this one points at, which must be here before it is written. (An org
    /// unit's parent is not among them: see the module doc.)
    fn references(&self) -> Vec<(EntityKind, Uuid)> {
        use EntityKind as K;
        let unit = |u: OrgUnitId| (K::OrgUnit, u.0);
        let person = |p: PersonId| (K::Person, p.0);
        let visit = |v: Option<VisitId>| v.map(|v| (K::Visit, v.0));
        let mut out = match self {
            Record::OrgUnit(_) => vec![],
            Record::User(x) => vec![unit(x.org_unit_id)],
            Record::Household(x) => vec![unit(x.org_unit_id)],
            Record::Person(x) => {
                let mut v = vec![unit(x.org_unit_id)];
                v.extend(x.household_id.map(|h| (K::Household, h.0)));
                v
            }
            Record::Relationship(x) => vec![person(x.person_id), person(x.related_person_id)],
            Record::Pregnancy(x) => vec![person(x.person_id)],
            Record::ServiceDay(x) => vec![unit(x.org_unit_id)],
            Record::Visit(x) => {
                let mut v = vec![unit(x.org_unit_id), person(x.person_id)];
                v.extend(x.service_day_id.map(|d| (K::ServiceDay, d.0)));
                v
            }
            Record::Measurement(x) => vec![unit(x.org_unit_id), person(x.person_id)]
                .into_iter()
                .chain(visit(x.visit_id))
                .collect(),
            Record::Dose(x) => vec![unit(x.org_unit_id), person(x.person_id)]
                .into_iter()
                .chain(visit(x.visit_id))
                .collect(),
            Record::Screening(x) => vec![unit(x.org_unit_id), person(x.person_id)]
                .into_iter()
                .chain(visit(x.visit_id))
                .collect(),
            Record::Finding(x) => vec![unit(x.org_unit_id), person(x.person_id)]
                .into_iter()
                .chain(visit(x.visit_id))
                .collect(),
            Record::Referral(x) => {
                let mut v = vec![unit(x.org_unit_id), person(x.person_id)];
                v.extend(x.finding_id.map(|f| (K::Finding, f.0)));
                v
            }
        };
        out.dedup();
        out
    }

    /// The capture as a device sends it, for a capture kind.
    fn as_capture(&self) -> Option<Capture> {
        Some(match self {
            Record::ServiceDay(x) => Capture::ServiceDay(NewServiceDay {
                id: x.id,
                org_unit_id: x.org_unit_id,
                date: x.date,
                note: x.note.clone(),
                captured_at: x.captured_at,
            }),
            Record::Visit(x) => Capture::Visit(NewVisit {
                id: x.id,
                person_id: x.person_id,
                service_day_id: x.service_day_id,
                org_unit_id: x.org_unit_id,
                date: x.date,
                captured_at: x.captured_at,
            }),
            Record::Measurement(x) => Capture::Measurement(NewMeasurement {
                id: x.id,
                person_id: x.person_id,
                visit_id: x.visit_id,
                org_unit_id: x.org_unit_id,
                measured_on: x.measured_on,
                kind: x.kind,
                value: x.value,
                implausible: x.implausible,
                captured_at: x.captured_at,
            }),
            Record::Dose(x) => Capture::Dose(NewDose {
                id: x.id,
                person_id: x.person_id,
                visit_id: x.visit_id,
                org_unit_id: x.org_unit_id,
                given_on: x.given_on,
                vaccine: x.vaccine.clone(),
                dose_number: x.dose_number,
                batch: x.batch.clone(),
                captured_at: x.captured_at,
            }),
            Record::Screening(x) => Capture::Screening(NewScreening {
                id: x.id,
                person_id: x.person_id,
                visit_id: x.visit_id,
                org_unit_id: x.org_unit_id,
                answered_on: x.answered_on,
                questionnaire: x.questionnaire.clone(),
                answers: x.answers.clone(),
                score: x.score,
                captured_at: x.captured_at,
            }),
            Record::Finding(x) => Capture::Finding(NewFinding {
                id: x.id,
                person_id: x.person_id,
                visit_id: x.visit_id,
                org_unit_id: x.org_unit_id,
                found_on: x.found_on,
                code: x.code.clone(),
                detail: x.detail.clone(),
                captured_at: x.captured_at,
            }),
            _ => return None,
        })
    }

    /// The create as a device sends it, for a registry kind a device may create; with
    /// whether it carries the whole row.
    fn as_create(&self) -> Option<(Create, bool)> {
        let first = self.meta().version == 1;
        Some(match self {
            Record::Household(h) => (Create::NewHousehold(household_input(h)), true),
            Record::Person(p) => (
                Create::NewPerson(PersonCreate {
                    person: person_input(p),
                    parent_name: p.parent_name.clone(),
                }),
                true,
            ),
            Record::Relationship(x) => (
                Create::NewRelationship(NewRelationship {
                    id: x.id,
                    person_id: x.person_id,
                    kind: x.kind,
                    related_person_id: x.related_person_id,
                }),
                first,
            ),
            Record::Pregnancy(x) => (
                Create::NewPregnancy(NewPregnancy {
                    id: x.id,
                    person_id: x.person_id,
                    lmp: x.lmp,
                    due_date: x.due_date,
                    gravida: x.gravida,
                    para: x.para,
                    abortus: x.abortus,
                    high_risk: x.high_risk,
                }),
                first,
            ),
            Record::Referral(x) => (
                Create::NewReferral(NewReferral {
                    id: x.id,
                    person_id: x.person_id,
                    finding_id: x.finding_id,
                    org_unit_id: x.org_unit_id,
                    referred_on: x.referred_on,
                    to_facility: x.to_facility.clone(),
                    reason: x.reason.clone(),
                }),
                first,
            ),
            _ => return None,
        })
    }

    /// The editable fields (the base of an edit), for a person or household.
    fn editable_json(&self) -> Option<String> {
        match self {
            Record::Person(p) => serde_json::to_string(&person_input(p)).ok(),
            Record::Household(h) => serde_json::to_string(&household_input(h)).ok(),
            _ => None,
        }
    }
}

/// A column value of a row written here. Nullable times go as RFC 3339 text (cast on
/// PostgreSQL), as the SQLite driver writes them.
enum Col {
    P(Param),
    OptTime(Option<OffsetDateTime>),
}

fn text(s: impl ToString) -> Col {
    Col::P(Param::Text(Some(s.to_string())))
}

fn opt_text(s: Option<impl ToString>) -> Col {
    Col::P(Param::Text(s.map(|s| s.to_string())))
}

/// The columns of `rec` as written here, with `seq` this database's number and the org
/// unit's parent left out when it is not here (`parent_here`).
fn columns(rec: &Record, seq: i64, parent_here: bool) -> Vec<(&'static str, Col)> {
    let m = rec.meta();
    let mut c: Vec<(&'static str, Col)> = vec![("id", text(rec.uuid()))];
    match rec {
        Record::OrgUnit(x) => c.extend([
            (
                "parent_id",
                opt_text(x.parent_id.filter(|_| parent_here).map(|p| p.0)),
            ),
            ("level", text(x.level.code())),
            ("code", text(&x.code)),
            ("name", text(&x.name)),
            ("region_code", opt_text(x.region_code.as_ref())),
            ("region_decree", opt_text(x.region_decree.as_ref())),
            ("time_zone", text(x.time_zone.code())),
            ("org_path", text(x.path.as_str())),
        ]),
        Record::User(x) => c.extend([
            ("username", text(&x.username)),
            ("display_name", text(&x.display_name)),
            ("role", text(x.role.code())),
            ("org_unit_id", text(x.org_unit_id.0)),
            ("org_path", text(x.org_path.as_str())),
            ("active", Col::P(Param::Flag(x.active))),
        ]),
        Record::Household(x) => c.extend([
            ("org_unit_id", text(x.org_unit_id.0)),
            ("org_path", text(x.org_path.as_str())),
            ("kk_number", opt_text(x.kk_number.as_ref())),
            ("head_name", text(&x.head_name)),
            ("address", opt_text(x.address.as_ref())),
            ("rt", opt_text(x.rt.as_ref())),
            ("rw", opt_text(x.rw.as_ref())),
        ]),
        Record::Person(x) => c.extend([
            ("household_id", opt_text(x.household_id.map(|h| h.0))),
            ("org_unit_id", text(x.org_unit_id.0)),
            ("org_path", text(x.org_path.as_str())),
            ("name", text(&x.name)),
            ("sex", text(x.sex.code())),
            ("birth_date", Col::P(Param::Date(x.birth_date))),
            (
                "birth_date_estimated",
                Col::P(Param::Flag(x.birth_date_estimated)),
            ),
            ("nik", opt_text(x.nik.as_ref().map(|n| n.as_str()))),
            ("nik_is_mother", Col::P(Param::Flag(x.nik_is_mother))),
            ("phone", opt_text(x.phone.as_ref())),
            ("parent_name", opt_text(x.parent_name.as_ref())),
        ]),
        Record::Relationship(x) => c.extend([
            ("person_id", text(x.person_id.0)),
            ("kind", text(x.kind.code())),
            ("related_person_id", text(x.related_person_id.0)),
            ("org_path", text(x.org_path.as_str())),
        ]),
        Record::Pregnancy(x) => c.extend([
            ("person_id", text(x.person_id.0)),
            ("org_path", text(x.org_path.as_str())),
            ("lmp", opt_date(x.lmp)),
            ("due_date", opt_date(x.due_date)),
            ("gravida", Col::P(Param::Int4(x.gravida))),
            ("para", Col::P(Param::Int4(x.para))),
            ("abortus", Col::P(Param::Int4(x.abortus))),
            ("high_risk", Col::P(Param::Flag(x.high_risk))),
            ("outcome", opt_text(x.outcome.map(|o| o.code()))),
            ("outcome_date", opt_date(x.outcome_date)),
        ]),
        Record::ServiceDay(x) => c.extend([
            ("org_unit_id", text(x.org_unit_id.0)),
            ("org_path", text(x.org_path.as_str())),
            ("day", Col::P(Param::Date(x.date))),
            ("note", opt_text(x.note.as_ref())),
            ("captured_at", Col::P(Param::Time(x.captured_at))),
            ("captured_by", text(&x.captured_by)),
            ("closed_at", Col::OptTime(x.closed.as_ref().map(|c| c.at))),
            ("closed_by", opt_text(x.closed.as_ref().map(|c| &c.by))),
        ]),
        Record::Visit(x) => c.extend([
            ("person_id", text(x.person_id.0)),
            ("service_day_id", opt_text(x.service_day_id.map(|d| d.0))),
            ("org_unit_id", text(x.org_unit_id.0)),
            ("org_path", text(x.org_path.as_str())),
            ("day", Col::P(Param::Date(x.date))),
            ("captured_at", Col::P(Param::Time(x.captured_at))),
            ("captured_by", text(&x.captured_by)),
        ]),
        Record::Measurement(x) => c.extend([
            ("person_id", text(x.person_id.0)),
            ("visit_id", opt_text(x.visit_id.map(|v| v.0))),
            ("org_unit_id", text(x.org_unit_id.0)),
            ("org_path", text(x.org_path.as_str())),
            ("day", Col::P(Param::Date(x.measured_on))),
            ("kind", text(x.kind.code())),
            ("value", Col::P(Param::Real(Some(x.value)))),
            ("unit", text(x.unit.code())),
            ("implausible", Col::P(Param::Flag(x.implausible))),
            ("captured_at", Col::P(Param::Time(x.captured_at))),
            ("captured_by", text(&x.captured_by)),
        ]),
        Record::Dose(x) => c.extend([
            ("person_id", text(x.person_id.0)),
            ("visit_id", opt_text(x.visit_id.map(|v| v.0))),
            ("org_unit_id", text(x.org_unit_id.0)),
            ("org_path", text(x.org_path.as_str())),
            ("day", Col::P(Param::Date(x.given_on))),
            ("vaccine", text(&x.vaccine)),
            ("dose_number", Col::P(Param::Int4(x.dose_number))),
            ("batch", opt_text(x.batch.as_ref())),
            ("captured_at", Col::P(Param::Time(x.captured_at))),
            ("captured_by", text(&x.captured_by)),
        ]),
        Record::Screening(x) => c.extend([
            ("person_id", text(x.person_id.0)),
            ("visit_id", opt_text(x.visit_id.map(|v| v.0))),
            ("org_unit_id", text(x.org_unit_id.0)),
            ("org_path", text(x.org_path.as_str())),
            ("day", Col::P(Param::Date(x.answered_on))),
            ("questionnaire", text(&x.questionnaire)),
            ("answers", text(Value::Object(x.answers.clone()))),
            ("score", Col::P(Param::Real(x.score))),
            ("captured_at", Col::P(Param::Time(x.captured_at))),
            ("captured_by", text(&x.captured_by)),
        ]),
        Record::Finding(x) => c.extend([
            ("person_id", text(x.person_id.0)),
            ("visit_id", opt_text(x.visit_id.map(|v| v.0))),
            ("org_unit_id", text(x.org_unit_id.0)),
            ("org_path", text(x.org_path.as_str())),
            ("day", Col::P(Param::Date(x.found_on))),
            ("code", text(&x.code)),
            ("detail", opt_text(x.detail.as_ref())),
            ("captured_at", Col::P(Param::Time(x.captured_at))),
            ("captured_by", text(&x.captured_by)),
        ]),
        Record::Referral(x) => c.extend([
            ("person_id", text(x.person_id.0)),
            ("finding_id", opt_text(x.finding_id.map(|f| f.0))),
            ("org_unit_id", text(x.org_unit_id.0)),
            ("org_path", text(x.org_path.as_str())),
            ("day", Col::P(Param::Date(x.referred_on))),
            ("to_facility", text(&x.to_facility)),
            ("reason", text(&x.reason)),
            ("status", text(x.status.code())),
            ("status_note", opt_text(x.status_note.as_ref())),
        ]),
    }
    c.extend([
        ("version", Col::P(Param::Int(Some(m.version)))),
        ("seq", Col::P(Param::Int(Some(seq)))),
        ("created_at", Col::P(Param::Time(m.created_at))),
        ("updated_at", Col::P(Param::Time(m.updated_at))),
        ("deleted_at", Col::OptTime(m.deleted.as_ref().map(|d| d.at))),
        (
            "delete_reason",
            opt_text(m.deleted.as_ref().map(|d| &d.reason)),
        ),
    ]);
    c
}

fn opt_date(d: Option<time::Date>) -> Col {
    match d {
        Some(d) => Col::P(Param::Date(d)),
        // A NULL date: text NULL, cast on PostgreSQL like the nullable times.
        None => Col::OptTime(None),
    }
}

/// The record as JSON without its change number (which differs here and there).
fn content(rec: &Record) -> Value {
    let mut v = serde_json::to_value(rec).unwrap_or(Value::Null);
    if let Some(meta) = v
        .as_object_mut()
        .and_then(|o| o.values_mut().next())
        .and_then(|r| r.get_mut("meta"))
        .and_then(|m| m.as_object_mut())
    {
        meta.remove("seq");
    }
    v
}

impl Tx {
    fn is_postgres(&self) -> bool {
        matches!(self.conn, TxConn::Postgres(_))
    }

    /// Whether a row exists here (or was written in this transaction).
    async fn exists(&mut self, kind: EntityKind, id: Uuid) -> Result<bool> {
        if self.known.contains(&(kind, id)) {
            return Ok(true);
        }
        let sql = format!("SELECT id FROM {} WHERE id = $1", kind.table());
        let key = id.to_string();
        let found = fetch_opt!(on_tx, self, sqlx::AssertSqlSafe(sql), [&key], |r| {
            Get::text(r, "id")
        })?
        .is_some();
        if found {
            self.known.insert((kind, id));
        }
        Ok(found)
    }

    async fn local_record(&mut self, kind: EntityKind, id: Uuid) -> Result<Option<Record>> {
        let sql = format!("SELECT * FROM {} WHERE id = $1", kind.table());
        let key = id.to_string();
        fetch_opt!(on_tx, self, sqlx::AssertSqlSafe(sql), [&key], |r| {
            row::record(kind, r)
        })
    }

    async fn sync_base(&mut self, server: &str, id: Uuid) -> Result<Option<Base>> {
        let key = id.to_string();
        fetch_opt!(
            on_tx,
            self,
            "SELECT version, local_seq, COALESCE(pushed_seq, -1) AS pushed_seq, pending \
             FROM sync_base WHERE server = $1 AND entity_id = $2",
            [server, &key],
            |r| Ok(Base {
                version: Get::int(r, "version")?,
                local_seq: Get::int(r, "local_seq")?,
                pushed_seq: Some(Get::int(r, "pushed_seq")?).filter(|s| *s >= 0),
                pending: Get::opt_text(r, "pending")?,
            })
        )
    }

    async fn note_base(&mut self, server: &str, rec: &Record, local_seq: i64) -> Result<()> {
        let (kind, key) = (rec.kind(), rec.uuid().to_string());
        execute!(
            on_tx,
            self,
            "INSERT INTO sync_base (server, entity, entity_id, version, local_seq, base) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (server, entity_id) DO UPDATE SET \
             entity = excluded.entity, version = excluded.version, \
             local_seq = excluded.local_seq, base = excluded.base, pushed_seq = NULL, \
             pending = NULL",
            [
                server,
                kind.code(),
                &key,
                rec.meta().version,
                local_seq,
                rec.editable_json()
            ]
        );
        Ok(())
    }

    /// A create the server took: from now on the row has a base like one pulled. Its
    /// version there is noted as 0 (not known yet), so the pull that follows writes the
    /// server's row here unless the row changed here since (then it is an edit from the
    /// content sent). A create that did not carry the whole row notes no change number of
    /// this database, so the steps made here are kept against the server's first version.
    async fn note_sent_create(&mut self, server: &str, out: &Outgoing, c: &Create) -> Result<()> {
        let base = match c {
            Create::NewHousehold(h) => serde_json::to_string(h).ok(),
            Create::NewPerson(p) => serde_json::to_string(&p.person).ok(),
            _ => None,
        };
        let local_seq = if out.whole { out.local_seq } else { -1 };
        let key = out.id.to_string();
        execute!(
            on_tx,
            self,
            "INSERT INTO sync_base (server, entity, entity_id, version, local_seq, base) \
             VALUES ($1, $2, $3, 0, $4, $5) ON CONFLICT (server, entity_id) DO NOTHING",
            [server, out.kind.code(), &key, local_seq, base]
        );
        Ok(())
    }

    /// Writes `rec` (insert or replace) with the next change number here; returns it.
    async fn write_record(&mut self, rec: &Record) -> Result<i64> {
        let parent_here = match rec {
            Record::OrgUnit(u) => match u.parent_id {
                Some(p) => self.exists(EntityKind::OrgUnit, p.0).await?,
                None => true,
            },
            _ => true,
        };
        if let Record::Visit(v) = rec {
            self.retire_other_visit(v).await?;
        }
        let seq = self.next_seq(1).await?;
        let cols = columns(rec, seq, parent_here);
        let pg = self.is_postgres();
        let names: Vec<&str> = cols.iter().map(|(n, _)| *n).collect();
        let mut params = Vec::with_capacity(cols.len());
        let mut holes = Vec::with_capacity(cols.len());
        for (i, (name, col)) in cols.into_iter().enumerate() {
            let n = i + 1;
            match col {
                Col::P(p) => {
                    holes.push(format!("${n}"));
                    params.push(p);
                }
                Col::OptTime(t) => {
                    let cast = if !pg {
                        ""
                    } else if name.ends_with("_at") {
                        "::timestamptz"
                    } else {
                        "::date"
                    };
                    holes.push(format!("${n}{cast}"));
                    params.push(Param::Text(t.and_then(|t| t.format(&Rfc3339).ok())));
                }
            }
        }
        let updates: Vec<String> = names
            .iter()
            .skip(1)
            .map(|n| format!("{n} = excluded.{n}"))
            .collect();
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({}) ON CONFLICT (id) DO UPDATE SET {} RETURNING id",
            rec.kind().table(),
            names.join(", "),
            holes.join(", "),
            updates.join(", ")
        );
        self.fetch_ids(sql, &params).await?;
        self.known.insert((rec.kind(), rec.uuid()));
        Ok(seq)
    }

    /// A server visit of a person and service day where this database has another (made
    /// here; the server answered the push with `same_as` and moved its captures): the one
    /// here is retired (soft-deleted, naming the server's), so one visit per day remains.
    async fn retire_other_visit(&mut self, v: &Visit) -> Result<()> {
        let (Some(day), None) = (v.service_day_id, &v.meta.deleted) else {
            return Ok(());
        };
        let (d, p, me) = (day.to_string(), v.person_id.to_string(), v.id.to_string());
        let other = fetch_opt!(
            on_tx,
            self,
            "SELECT id FROM visit WHERE service_day_id = $1 AND person_id = $2 \
             AND deleted_at IS NULL AND id <> $3",
            [&d, &p, &me],
            |r| Get::text(r, "id")
        )?;
        let Some(other) = other else {
            return Ok(());
        };
        let seq = self.next_seq(1).await?;
        let (now, reason) = (self.now, format!("sama dengan kunjungan server {}", v.id));
        execute!(
            on_tx,
            self,
            "UPDATE visit SET deleted_at = $1, delete_reason = $2, updated_at = $1, \
             version = version + 1, seq = $3 WHERE id = $4",
            [now, &reason, seq, &other]
        );
        let id = Uuid::parse_str(&other).map_err(|_| StoreError::Corrupt {
            column: "visit.id",
            value: other.clone(),
        })?;
        let detail = serde_json::json!({ "reason": reason });
        self.audit(
            AuditAction::Delete,
            EntityKind::Visit,
            id,
            &v.org_path,
            &detail,
        )
        .await
    }

    /// Applies one pulled row (see the module doc); `written` collects what was written.
    async fn apply_one(
        &mut self,
        server: &str,
        seq: i64,
        rec: &Record,
        done: &mut Applied,
        written: &mut Vec<(EntityKind, Uuid, OrgPath)>,
    ) -> Result<()> {
        for (kind, id) in rec.references() {
            if !self.exists(kind, id).await? {
                let json = serde_json::to_string(rec)
                    .map_err(|e| StoreError::invalid("record", rec.uuid(), e.to_string()))?;
                execute!(
                    on_tx,
                    self,
                    "INSERT INTO sync_parked (server, seq, record) VALUES ($1, $2, $3) \
                     ON CONFLICT (server, seq) DO NOTHING",
                    [server, seq, &json]
                );
                done.parked += 1;
                return Ok(());
            }
        }
        let (kind, id) = (rec.kind(), rec.uuid());
        let version = rec.meta().version;
        let local = self.local_record(kind, id).await?;
        let base = self.sync_base(server, id).await?;
        if let Some(local) = &local {
            let local_seq = local.meta().seq;
            let changed_here = match &base {
                Some(b) => local_seq != b.local_seq && Some(local_seq) != b.pushed_seq,
                None => true,
            };
            if let Some(b) = &base
                && (version < b.version || (version == b.version && !changed_here))
            {
                done.unchanged += 1;
                return Ok(());
            }
            // A capture sent from here coming back: the same event (the server's times and
            // `captured_by`, the account that synced, are its bookkeeping), nothing to write.
            let own_capture = kind.is_capture() && base.is_none();
            if (own_capture && local.meta().version == version) || content(local) == content(rec) {
                self.note_base(server, rec, local_seq).await?;
                done.unchanged += 1;
                return Ok(());
            }
            let editable = matches!(kind, EntityKind::Person | EntityKind::Household);
            if changed_here && editable && base.is_some() {
                // The laptop's edit goes to the server first; this row waits for its answer.
                let json = serde_json::to_string(rec)
                    .map_err(|e| StoreError::invalid("record", id, e.to_string()))?;
                let key = id.to_string();
                execute!(
                    on_tx,
                    self,
                    "UPDATE sync_base SET pending = $1 WHERE server = $2 AND entity_id = $3",
                    [&json, server, &key]
                );
                done.kept += 1;
                return Ok(());
            }
            if changed_here && local.meta().version > version {
                done.kept += 1;
                return Ok(());
            }
        }
        let local_seq = self.write_record(rec).await?;
        self.note_base(server, rec, local_seq).await?;
        written.push((kind, id, rec.org_path().clone()));
        done.written += 1;
        Ok(())
    }

    /// Writes the parked rows whose references are here now, until none moves.
    async fn unpark(
        &mut self,
        server: &str,
        done: &mut Applied,
        written: &mut Vec<(EntityKind, Uuid, OrgPath)>,
    ) -> Result<()> {
        loop {
            let parked: Vec<(i64, String)> = fetch_all!(
                on_tx,
                self,
                "SELECT seq, record FROM sync_parked WHERE server = $1 ORDER BY seq",
                [server],
                |r| Ok((Get::int(r, "seq")?, Get::text(r, "record")?))
            )?;
            let mut moved = false;
            for (seq, json) in parked {
                let rec: Record = serde_json::from_str(&json).map_err(|_| StoreError::Corrupt {
                    column: "sync_parked.record",
                    value: seq.to_string(),
                })?;
                let mut ready = true;
                for (kind, id) in rec.references() {
                    ready &= self.exists(kind, id).await?;
                }
                if !ready {
                    continue;
                }
                execute!(
                    on_tx,
                    self,
                    "DELETE FROM sync_parked WHERE server = $1 AND seq = $2",
                    [server, seq]
                );
                self.apply_one(server, seq, &rec, done, written).await?;
                moved = true;
            }
            if !moved {
                return Ok(());
            }
        }
    }

    /// One audit row per kind for the rows a pull wrote.
    async fn audit_pulled(
        &mut self,
        server: &str,
        written: &[(EntityKind, Uuid, OrgPath)],
    ) -> Result<()> {
        let mut by_kind: HashMap<EntityKind, Vec<&(EntityKind, Uuid, OrgPath)>> = HashMap::new();
        for w in written {
            by_kind.entry(w.0).or_default().push(w);
        }
        for (kind, rows) in by_kind {
            let Some((_, first, path)) = rows.first().map(|r| (*r).clone()) else {
                continue;
            };
            let ids: Vec<String> = rows.iter().map(|r| r.1.to_string()).collect();
            let detail =
                serde_json::json!({ "pulled_from": server, "count": ids.len(), "ids": ids });
            self.audit(AuditAction::Update, kind, first, &path, &detail)
                .await?;
        }
        Ok(())
    }

    /// This database's last change number, on SQLite (its counter); `None` on PostgreSQL,
    /// where numbers are not one counter.
    async fn sqlite_last_seq(&mut self) -> Result<Option<i64>> {
        if self.is_postgres() {
            return Ok(None);
        }
        fetch_opt!(
            on_tx,
            self,
            "SELECT value FROM seq_counter WHERE id = 1",
            [],
            |r| Get::int(r, "value")
        )
    }

    async fn state(&mut self, server: &str) -> Result<SyncState> {
        Ok(fetch_opt!(
            on_tx,
            self,
            "SELECT pulled_seq, pushed_seq FROM sync_state WHERE server = $1",
            [server],
            |r| Ok(SyncState {
                pulled_seq: Get::int(r, "pulled_seq")?,
                pushed_seq: Get::int(r, "pushed_seq")?,
            })
        )?
        .unwrap_or_default())
    }

    async fn set_state(&mut self, server: &str, s: SyncState) -> Result<()> {
        let now = self.now;
        execute!(
            on_tx,
            self,
            "INSERT INTO sync_state (server, pulled_seq, pushed_seq, updated_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (server) DO UPDATE SET \
             pulled_seq = excluded.pulled_seq, pushed_seq = excluded.pushed_seq, \
             updated_at = excluded.updated_at",
            [server, s.pulled_seq, s.pushed_seq, now]
        );
        Ok(())
    }
}

impl Store {
    /// Where this database stands with `server` (zeros before the first sync).
    pub async fn sync_state(&self, server: &str) -> Result<SyncState> {
        let server = server_key(server);
        Ok(fetch_opt!(
            on_pool,
            self,
            "SELECT pulled_seq, pushed_seq FROM sync_state WHERE server = $1",
            [&server],
            |r| Ok(SyncState {
                pulled_seq: Get::int(r, "pulled_seq")?,
                pushed_seq: Get::int(r, "pushed_seq")?,
            })
        )?
        .unwrap_or_default())
    }

    /// Applies one page of `server`'s change feed in one transaction, and notes
    /// `page.next_after` as pulled in it (see the module doc). A page at or below the
    /// number already pulled is applied again harmlessly.
    pub async fn apply_page(&self, server: &str, page: &ChangePage) -> Result<Applied> {
        let server = server_key(server);
        let mut tx = self.begin(&sync_actor()).await?;
        let mut state = tx.state(&server).await?;
        // Nothing of this database waiting to be sent: the rows written now came from the
        // server, so the send cursor moves past them (they are never scanned as outgoing).
        let before = tx.sqlite_last_seq().await?;
        let mut done = Applied::default();
        let mut written = Vec::new();
        for c in &page.changes {
            tx.apply_one(&server, c.seq, &c.record, &mut done, &mut written)
                .await?;
        }
        if done.written > 0 {
            tx.unpark(&server, &mut done, &mut written).await?;
        }
        done.parked = fetch_opt!(
            on_tx,
            tx,
            "SELECT COUNT(*) AS n FROM sync_parked WHERE server = $1",
            [&server],
            |r| Get::int(r, "n")
        )?
        .map_or(0, |n| u64::try_from(n).unwrap_or(0));
        tx.audit_pulled(&server, &written).await?;
        state.pulled_seq = state.pulled_seq.max(page.next_after);
        if let (Some(before), Some(after)) = (before, tx.sqlite_last_seq().await?)
            && state.pushed_seq == before
        {
            state.pushed_seq = after;
        }
        tx.set_state(&server, state).await?;
        tx.commit().await?;
        tracing::debug!(
            rows = page.changes.len(),
            written = done.written,
            unchanged = done.unchanged,
            kept = done.kept,
            parked = done.parked,
            "sync page applied"
        );
        Ok(done)
    }

    /// What this database has to send to `server` after its send cursor, reading at most
    /// `limit` rows of its own feed; with `retry`, also the items refused last time and
    /// registry rows made here behind the cursor that never reached the server (made
    /// before the push could create them).
    pub async fn outgoing(&self, server: &str, limit: u32, retry: bool) -> Result<OutgoingBatch> {
        let server = server_key(server);
        let state = self.sync_state(&server).await?;
        let feed = self
            .pull_changes(&sync_actor(), state.pushed_seq, limit)
            .await?;
        let mut batch = OutgoingBatch {
            upto: feed.next_after,
            more: feed.more,
            ..Default::default()
        };
        let mut records: Vec<Record> = feed.changes.into_iter().map(|c| c.record).collect();
        if retry {
            let again: Vec<(String, String)> = fetch_all!(
                on_pool,
                self,
                "SELECT entity, entity_id FROM sync_retry WHERE server = $1",
                [&server],
                |r| Ok((Get::text(r, "entity")?, Get::text(r, "entity_id")?))
            )?;
            for (entity, id) in again {
                let Some(kind) = EntityKind::from_code(&entity) else {
                    continue;
                };
                let sql = format!("SELECT * FROM {} WHERE id = $1", kind.table());
                if let Some(rec) =
                    fetch_opt!(on_pool, self, sqlx::AssertSqlSafe(sql), [&id], |r| {
                        row::record(kind, r)
                    })?
                    && !records.iter().any(|r| r.uuid() == rec.uuid())
                {
                    records.push(rec);
                }
            }
            // Registered here before the push could send creates (the cursor moved past
            // them then): rows behind the cursor the server never gave nor took.
            for kind in [
                EntityKind::Household,
                EntityKind::Person,
                EntityKind::Relationship,
                EntityKind::Pregnancy,
                EntityKind::Referral,
            ] {
                let sql = format!(
                    "SELECT * FROM {} WHERE seq <= $1 AND deleted_at IS NULL AND id NOT IN \
                     (SELECT entity_id FROM sync_base WHERE server = $2) ORDER BY seq",
                    kind.table()
                );
                let behind: Vec<Record> = fetch_all!(
                    on_pool,
                    self,
                    sqlx::AssertSqlSafe(sql),
                    [state.pushed_seq, &server],
                    |r| row::record(kind, r)
                )?;
                for rec in behind {
                    if !records.iter().any(|r| r.uuid() == rec.uuid()) {
                        records.push(rec);
                    }
                }
            }
        }
        for rec in records {
            let (kind, id, seq) = (rec.kind(), rec.uuid(), rec.meta().seq);
            let key = id.to_string();
            let base = fetch_opt!(
                on_pool,
                self,
                "SELECT version, local_seq, base, COALESCE(pushed_seq, -1) AS pushed_seq \
                 FROM sync_base WHERE server = $1 AND entity_id = $2",
                [&server, &key],
                |r| Ok((
                    Get::int(r, "version")?,
                    Get::int(r, "local_seq")?,
                    Get::opt_text(r, "base")?,
                    Some(Get::int(r, "pushed_seq")?).filter(|s| *s >= 0)
                ))
            )?;
            let deleted = rec.meta().deleted.as_ref();
            let mut whole = true;
            let item = match (&base, rec.as_capture()) {
                // Made here: sent, unless deleted before it ever left.
                (None, Some(c)) if deleted.is_none() => Some(OutgoingItem::Capture(c)),
                (None, None) if deleted.is_none() => rec.as_create().map(|(c, all)| {
                    whole = all;
                    OutgoingItem::Create(c)
                }),
                (Some((_, local, _, pushed)), _) if *local == seq || *pushed == Some(seq) => {
                    continue;
                }
                (Some((version, _, Some(_), _)), None) if deleted.is_some() => {
                    deletion(&rec, *version, deleted.map_or("", |d| d.reason.as_str()))
                }
                (Some((version, _, Some(b), _)), None) => edit(&rec, *version, b)?,
                _ => None,
            };
            match item {
                Some(item) => {
                    // A create sent without the later steps made here: those are not sent.
                    batch.not_sent += u64::from(!whole);
                    batch.items.push(Outgoing {
                        item,
                        kind,
                        id,
                        local_seq: seq,
                        whole,
                    })
                }
                None => batch.not_sent += 1,
            }
        }
        // What is pointed at first: the feed's order is kept within each rank.
        batch.items.sort_by_key(|o| o.item.rank());
        Ok(batch)
    }

    /// Notes the server's answer to a push of `batch`: `accepted[i]` for `batch.items[i]`
    /// (stored, duplicate or merged). Refused items are kept to send again; the send
    /// cursor moves to `batch.upto`; a server row held for an edit now answered is written.
    pub async fn mark_pushed(
        &self,
        server: &str,
        batch: &OutgoingBatch,
        accepted: &[bool],
    ) -> Result<Applied> {
        let server = server_key(server);
        let mut tx = self.begin(&sync_actor()).await?;
        let mut done = Applied::default();
        let mut written = Vec::new();
        for (i, out) in batch.items.iter().enumerate() {
            let key = out.id.to_string();
            if !accepted.get(i).copied().unwrap_or(false) {
                execute!(
                    on_tx,
                    tx,
                    "INSERT INTO sync_retry (server, entity, entity_id) VALUES ($1, $2, $3) \
                     ON CONFLICT (server, entity_id) DO NOTHING",
                    [&server, out.kind.code(), &key]
                );
                continue;
            }
            execute!(
                on_tx,
                tx,
                "DELETE FROM sync_retry WHERE server = $1 AND entity_id = $2",
                [&server, &key]
            );
            if let OutgoingItem::Create(c) = &out.item {
                tx.note_sent_create(&server, out, c).await?;
            }
            if let OutgoingItem::Edit(_) = out.item {
                execute!(
                    on_tx,
                    tx,
                    "UPDATE sync_base SET pushed_seq = $1 WHERE server = $2 AND entity_id = $3",
                    [out.local_seq, &server, &key]
                );
                if let Some(pending) = tx.sync_base(&server, out.id).await?.and_then(|b| b.pending)
                {
                    let rec: Record =
                        serde_json::from_str(&pending).map_err(|_| StoreError::Corrupt {
                            column: "sync_base.pending",
                            value: key.clone(),
                        })?;
                    tx.apply_one(&server, 0, &rec, &mut done, &mut written)
                        .await?;
                }
            }
        }
        tx.audit_pulled(&server, &written).await?;
        let mut state = tx.state(&server).await?;
        state.pushed_seq = state.pushed_seq.max(batch.upto);
        tx.set_state(&server, state).await?;
        tx.commit().await?;
        Ok(done)
    }
}

/// The deletion of a person or household deleted here, from its noted version.
fn deletion(rec: &Record, base_version: i64, reason: &str) -> Option<OutgoingItem> {
    let d = crate::deletion::Deletion {
        id: rec.uuid(),
        base_version,
        reason: reason.to_owned(),
    };
    Some(OutgoingItem::Edit(match rec {
        Record::Person(_) => OutgoingEdit::PersonDelete(d),
        Record::Household(_) => OutgoingEdit::HouseholdDelete(d),
        _ => return None,
    }))
}

/// The edit of a person or household changed here, from its noted base.
fn edit(rec: &Record, base_version: i64, base: &str) -> Result<Option<OutgoingItem>> {
    let bad = |_| StoreError::Corrupt {
        column: "sync_base.base",
        value: rec.uuid().to_string(),
    };
    Ok(Some(OutgoingItem::Edit(match rec {
        Record::Person(p) => OutgoingEdit::PersonEdit(PersonEdit {
            base_version,
            base: serde_json::from_str(base).map_err(bad)?,
            edited: person_input(p),
        }),
        Record::Household(h) => OutgoingEdit::HouseholdEdit(HouseholdEdit {
            base_version,
            base: serde_json::from_str(base).map_err(bad)?,
            edited: household_input(h),
        }),
        _ => return Ok(None),
    })))
}
