//! The service day's operations, shared by the pages and the JSON API (one implementation
//! of each): open a day, find and register people, record arrivals, and the day's summary.
//! Steps 2–5 are in [`super::record`]. Every read and write goes through the store with the
//! user's actor, so scope and audit come from the store.

use serde::Serialize;
use store::{
    Actor, Capture, Household, HouseholdId, NewHousehold, NewPerson, NewRelationship,
    NewServiceDay, NewVisit, Nik, NikWarning, OrgLevel, OrgUnit, OrgUnitId, Person, PersonId,
    RelationKind, RelationshipId, ServiceDay, ServiceDayId, Sex, Store, Visit, VisitId,
};
use time::{Date, OffsetDateTime};

use super::DayError;
use super::similar::{self, Similar};

/// The service day named in a URL (any text: a bad id is simply not found).
/// Refuses a capture into a closed day: its summary is final until the day is reopened.
pub fn ensure_open(day: &ServiceDay) -> Result<(), DayError> {
    match day.closed {
        Some(_) => Err(DayError::Closed),
        None => Ok(()),
    }
}

/// Closes the day `id` (its summary is then final; see [`ensure_open`]), or reopens it
/// for a late entry.
pub async fn set_day_closed(
    store: &Store,
    actor: &Actor,
    id: &str,
    closed: bool,
) -> Result<ServiceDay, DayError> {
    let d = load_day(store, actor, id).await?;
    Ok(if closed {
        store.close_day(actor, d.id).await?
    } else {
        store.reopen_day(actor, d.id).await?
    })
}

pub async fn load_day(store: &Store, actor: &Actor, id: &str) -> Result<ServiceDay, DayError> {
    let id = ServiceDayId::parse(id).map_err(|_| DayError::NotFound)?;
    Ok(store.service_day(actor, id).await?)
}

/// The service day and the person named in a URL.
pub async fn load_person(
    store: &Store,
    actor: &Actor,
    day: &str,
    person: &str,
) -> Result<(ServiceDay, Person), DayError> {
    let id = PersonId::parse(person).map_err(|_| DayError::NotFound)?;
    // Both at once: every step of a person's day starts with these two reads.
    let person = async { Ok(store.person(actor, id).await?) };
    tokio::try_join!(load_day(store, actor, day), person)
}

/// A unit where a service day can be held.
pub fn holds_service_days(u: &OrgUnit) -> bool {
    matches!(u.level, OrgLevel::Posyandu | OrgLevel::Poskestren)
}

/// The posyandu and poskestren the actor works in (one for a kader).
pub async fn service_units(store: &Store, actor: &Actor) -> Result<Vec<OrgUnit>, DayError> {
    let mut units = store.org_units_in_scope(actor).await?;
    units.retain(holds_service_days);
    Ok(units)
}

/// Opening a day: where, when, and who is on duty.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct OpenDay {
    /// Client-generated: opening the same day twice is harmless.
    pub id: ServiceDayId,
    pub unit: OrgUnitId,
    pub date: Date,
    /// Names of the kader on duty.
    pub kader: String,
}

/// Opens a service day (hari buka). Only at a posyandu or poskestren in scope.
pub async fn open_day(store: &Store, actor: &Actor, o: &OpenDay) -> Result<ServiceDay, DayError> {
    let unit = store.org_unit(actor, o.unit).await?;
    if !holds_service_days(&unit) {
        return Err(DayError::field("unit", &unit.name, "err-not-posyandu"));
    }
    let kader = o.kader.trim();
    if kader.is_empty() {
        return Err(DayError::field("kader", "", "err-required"));
    }
    let mut tx = store.begin(actor).await?;
    tx.capture(&Capture::ServiceDay(NewServiceDay {
        id: o.id,
        org_unit_id: unit.id,
        date: o.date,
        note: Some(kader.to_owned()),
        captured_at: OffsetDateTime::now_utc(),
    }))
    .await?;
    tx.commit().await?;
    Ok(store.service_day(actor, o.id).await?)
}

/// Today's service days first, then the recent ones (the last 90 days), of the units in scope.
pub async fn recent_days(
    store: &Store,
    actor: &Actor,
    today: Date,
) -> Result<Vec<(ServiceDay, OrgUnit)>, DayError> {
    let mut out = Vec::new();
    let from = today - time::Duration::days(90);
    let to = today + time::Duration::days(1);
    for unit in service_units(store, actor).await? {
        for d in store.service_days_under(actor, unit.id, from, to).await? {
            out.push((d, unit.clone()));
        }
    }
    out.sort_by(|a, b| b.0.date.cmp(&a.0.date).then(b.0.id.cmp(&a.0.id)));
    Ok(out)
}

/// One arrival: the visit and the person.
#[derive(Clone, Debug, Serialize)]
pub struct Arrival {
    pub visit: Visit,
    pub person: Person,
}

/// Who has arrived, in arrival order.
pub async fn arrivals(
    store: &Store,
    actor: &Actor,
    day: ServiceDayId,
) -> Result<Vec<Arrival>, DayError> {
    let mut out = Vec::new();
    for visit in store.visits_of_day(actor, day).await? {
        let person = store.person(actor, visit.person_id).await?;
        out.push(Arrival { visit, person });
    }
    Ok(out)
}

/// Step 1: records that `person` came to `day`. A person already registered today keeps
/// their visit (a second tap, or a replayed request, adds nothing).
pub async fn arrive(
    store: &Store,
    actor: &Actor,
    day: &ServiceDay,
    person: PersonId,
    visit: VisitId,
) -> Result<Visit, DayError> {
    ensure_open(day)?;
    if let Some(v) = store.visit_on_day(actor, day.id, person).await? {
        return Ok(v);
    }
    let p = store.person(actor, person).await?;
    let mut tx = store.begin(actor).await?;
    let stored = tx
        .capture(&Capture::Visit(NewVisit {
            id: visit,
            person_id: p.id,
            service_day_id: Some(day.id),
            org_unit_id: day.org_unit_id,
            date: day.date,
            captured_at: OffsetDateTime::now_utc(),
        }))
        .await;
    match stored {
        Ok(_) => tx.commit().await?,
        // Another phone recorded this arrival a moment ago: theirs is the visit.
        Err(e) if e.is_unique_violation() => tx.rollback().await?,
        Err(e) => return Err(e.into()),
    }
    store
        .visit_on_day(actor, day.id, p.id)
        .await?
        .ok_or(DayError::NotFound)
}

/// The visit of `person` on `day`, if they arrived.
pub async fn visit_of(
    store: &Store,
    actor: &Actor,
    day: &ServiceDay,
    person: PersonId,
) -> Result<Option<Visit>, DayError> {
    Ok(store.visit_on_day(actor, day.id, person).await?)
}

/// A new person at the registration table.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct Registration {
    /// Client-generated ids: registering twice is harmless.
    pub person_id: PersonId,
    pub visit_id: VisitId,
    pub name: String,
    pub sex: Sex,
    pub birth_date: Date,
    pub nik: Option<String>,
    /// The newborn is recorded with the mother's NIK until it has its own.
    #[serde(default)]
    pub nik_is_mother: bool,
    pub parent_name: Option<String>,
    pub phone: Option<String>,
    /// An existing household, or a new one headed by `new_household_head`.
    pub household_id: Option<HouseholdId>,
    pub new_household_head: Option<String>,
    pub new_household_id: Option<HouseholdId>,
    pub address: Option<String>,
    /// The mother, when she is registered (a baby with its mother).
    pub mother_id: Option<PersonId>,
    /// The kader saw the similar persons and registers a new one anyway.
    #[serde(default)]
    pub not_a_duplicate: bool,
}

/// What registering gave. Returned once per request, never stored in bulk, so the size
/// difference of the variants does not matter.
#[derive(Clone, Debug, Serialize)]
#[allow(clippy::large_enum_variant)]
pub enum Registered {
    /// Stored (and arrived today). NIK warnings never block.
    Stored {
        person: Person,
        visit: Visit,
        nik_warnings: Vec<NikWarning>,
    },
    /// Not stored: persons like this one exist; ask the kader.
    PossibleDuplicates(Vec<Similar>),
}

/// Registers a new person (and household, and the mother link) and records their arrival.
pub async fn register(
    store: &Store,
    actor: &Actor,
    day: &ServiceDay,
    r: &Registration,
) -> Result<Registered, DayError> {
    ensure_open(day)?;
    let name = r.name.trim();
    if name.is_empty() {
        return Err(DayError::field("name", "", "err-required"));
    }
    if r.birth_date > day.date {
        return Err(DayError::field(
            "birth_date",
            &r.birth_date.to_string(),
            "err-birth-after-day",
        ));
    }
    let nik = match r.nik.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) => Some(Nik::parse(n).map_err(|_| DayError::field("nik", n, "err-nik-format"))?),
        None => None,
    };
    let unit = store.org_unit(actor, day.org_unit_id).await?;
    if !r.not_a_duplicate {
        let found = similar::find(store, actor, &unit, name, r.birth_date).await?;
        let found: Vec<Similar> = found.into_iter().filter(|s| s.id != r.person_id).collect();
        if !found.is_empty() {
            return Ok(Registered::PossibleDuplicates(found));
        }
    }
    let mut tx = store.begin(actor).await?;
    let household_id = match (r.household_id, r.new_household_head.as_deref()) {
        (Some(h), _) => Some(h),
        (None, Some(head)) if !head.trim().is_empty() => {
            let h: Household = tx
                .create_household(&NewHousehold {
                    id: r.new_household_id.unwrap_or_default(),
                    org_unit_id: unit.id,
                    kk_number: None,
                    head_name: head.trim().to_owned(),
                    address: r.address.clone().filter(|a| !a.trim().is_empty()),
                    rt: None,
                    rw: None,
                })
                .await?
                .record;
            Some(h.id)
        }
        _ => None,
    };
    let (stored, nik_warnings) = tx
        .create_person_with_parent_name(
            &NewPerson {
                id: r.person_id,
                household_id,
                org_unit_id: unit.id,
                name: name.to_owned(),
                sex: r.sex,
                birth_date: r.birth_date,
                birth_date_estimated: false,
                nik,
                nik_is_mother: r.nik_is_mother,
                phone: r.phone.clone().filter(|p| !p.trim().is_empty()),
            },
            r.parent_name.as_deref().filter(|n| !n.trim().is_empty()),
        )
        .await?;
    if let Some(mother) = r.mother_id
        && stored.outcome == store::Outcome::Inserted
    {
        tx.create_relationship(&NewRelationship {
            id: RelationshipId::new(),
            person_id: mother,
            kind: RelationKind::MotherOf,
            related_person_id: stored.record.id,
        })
        .await?;
    }
    tx.commit().await?;
    let visit = arrive(store, actor, day, stored.record.id, r.visit_id).await?;
    Ok(Registered::Stored {
        person: stored.record,
        visit,
        nik_warnings,
    })
}

/// Step 1's search: by name, NIK (prefix), household head or parent's name.
pub async fn find(
    store: &Store,
    actor: &Actor,
    day: &ServiceDay,
    term: &str,
) -> Result<Vec<Person>, DayError> {
    Ok(store.search_persons(actor, day.org_unit_id, term).await?)
}
