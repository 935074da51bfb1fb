//! A pulled record as this database writes it: what it is (kind, id, meta, the rows it
//! points at, as a capture or a create to send back), and its columns.

use super::*;

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
    pub(super) fn references(&self) -> Vec<(EntityKind, Uuid)> {
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
    pub(super) fn as_capture(&self) -> Option<Capture> {
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
    pub(super) fn as_create(&self) -> Option<(Create, bool)> {
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

    /// The fields a device edits (the base of an edit): a person's (with the parent's
    /// name), a household's, a pregnancy's end, a referral's progress.
    pub(super) fn editable_json(&self) -> Option<String> {
        match self {
            Record::Person(p) => serde_json::to_string(&PersonFields {
                person: person_input(p),
                parent_name: p.parent_name.clone(),
            })
            .ok(),
            Record::Household(h) => serde_json::to_string(&household_input(h)).ok(),
            Record::Pregnancy(p) => serde_json::to_string(&PregnancyEnd {
                id: p.id,
                outcome: p.outcome,
                outcome_date: p.outcome_date,
            })
            .ok(),
            Record::Referral(r) => serde_json::to_string(&ReferralProgress {
                id: r.id,
                status: r.status,
                status_note: r.status_note.clone(),
            })
            .ok(),
            _ => None,
        }
    }

    /// Who made a capture here (`captured_by`), for a capture kind.
    pub(super) fn captured_by(&self) -> Option<&str> {
        Some(match self {
            Record::ServiceDay(x) => &x.captured_by,
            Record::Visit(x) => &x.captured_by,
            Record::Measurement(x) => &x.captured_by,
            Record::Dose(x) => &x.captured_by,
            Record::Screening(x) => &x.captured_by,
            Record::Finding(x) => &x.captured_by,
            _ => return None,
        })
    }
}

/// A column value of a row written here. Nullable times go as RFC 3339 text (cast on
/// PostgreSQL), as the SQLite driver writes them.
pub(super) enum Col {
    P(Param),
    OptTime(Option<OffsetDateTime>),
}

pub(super) fn text(s: impl ToString) -> Col {
    Col::P(Param::Text(Some(s.to_string())))
}

pub(super) fn opt_text(s: Option<impl ToString>) -> Col {
    Col::P(Param::Text(s.map(|s| s.to_string())))
}

/// The columns of `rec` as written here, with `seq` this database's number and the org
/// unit's parent left out when it is not here (`parent_here`).
pub(super) fn columns(rec: &Record, seq: i64, parent_here: bool) -> Vec<(&'static str, Col)> {
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

pub(super) fn opt_date(d: Option<time::Date>) -> Col {
    match d {
        Some(d) => Col::P(Param::Date(d)),
        // A NULL date: text NULL, cast on PostgreSQL like the nullable times.
        None => Col::OptTime(None),
    }
}

/// The record as JSON without its change number (which differs here and there).
pub(super) fn content(rec: &Record) -> Value {
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
