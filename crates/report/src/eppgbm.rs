//! The month's weighings of a unit in the e-PPGBM export layout (`exchange.md` §5; the
//! "RECORDS" sheet as four independent importers read it, not checked against an official
//! template), so a Puskesmas nutrition officer uploads them instead of re-typing the
//! posyandu registers: one row per balita and day weighed, z-scores from our WHO engine,
//! the Permenkes 2/2020 category from the same rules the service day applies
//! (`domain::anthro::balita_rules`), N/T/O/B from the findings stored that day, vitamin A
//! from the services given, KIA "Ya" when a Buku KIA was noted by the month's end. Columns
//! the record does not hold (birth weight and length, KPSP, PMT in kg) are left empty
//! rather than guessed.

use std::collections::{BTreeMap, HashMap};

use domain::age::Age;
use domain::anthro::{Z, Zscores, balita_rules, zscores};
use domain::visit::{Measurements, Position};
use store::codes::{MeasurementKind, RelationKind};
use store::{
    Actor, Household, HouseholdId, OrgUnit, OrgUnitId, Person, PersonId, Store, StoreError,
};
use time::Date;

use crate::table::{Cell, Row, Table};
use crate::targets::next_month;

/// The sheet's name in e-PPGBM's own export.
pub const SHEET: &str = "RECORDS";

/// The export's columns, in its order (its own spelling, "Pukesmas" included).
pub const COLUMNS: [&str; 34] = [
    "NIK",
    "Nama",
    "JK",
    "Tgl Lahir",
    "BB Lahir",
    "TB Lahir",
    "Nama Ortu",
    "Prov",
    "Kab/Kota",
    "Kec",
    "Pukesmas",
    "Desa/Kel",
    "Posyandu",
    "RT",
    "RW",
    "Alamat",
    "Usia Saat Ukur",
    "Tanggal Pengukuran",
    "Bulan Pengukuran",
    "Berat",
    "Tinggi",
    "Cara Ukur",
    "LiLA",
    "BB/U",
    "ZS BB/U",
    "TB/U",
    "ZS TB/U",
    "BB/TB",
    "ZS BB/TB",
    "Naik Berat Badan",
    "PMT Diterima (kg)",
    "Jml Vit A",
    "KPSP",
    "KIA",
];

/// "1 Tahun - 3 Bulan - 17 Hari": the calendar age e-PPGBM prints.
pub fn age_text(birth: Date, on: Date) -> String {
    let mut months = (on.year() - birth.year()) * 12 + i32::from(u8::from(on.month()))
        - i32::from(u8::from(birth.month()));
    if on.day() < birth.day() {
        months -= 1;
    }
    // The day of the last "monthly birthday" on or before `on` (clamped to month ends).
    let anchor = add_months(birth, months);
    let days = (on - anchor).whole_days();
    format!(
        "{} Tahun - {} Bulan - {} Hari",
        months / 12,
        months % 12,
        days
    )
}

fn add_months(d: Date, months: i32) -> Date {
    let total = d.year() * 12 + i32::from(u8::from(d.month())) - 1 + months;
    let (y, m) = (total.div_euclid(12), total.rem_euclid(12) + 1);
    let month = time::Month::try_from(u8::try_from(m).unwrap_or(1)).unwrap_or(time::Month::January);
    let last = month.length(y);
    Date::from_calendar_date(y, month, d.day().min(last)).unwrap_or(d)
}

/// The Permenkes 2/2020 words of e-PPGBM for each finding code of the balita rules.
fn category(codes: &[&str], z: Option<f64>, bands: &[(&str, &str)], normal: &str) -> Cell {
    if z.is_none() {
        return Cell::Empty;
    }
    let word = bands
        .iter()
        .find(|(code, _)| codes.contains(code))
        .map_or(normal, |(_, w)| w);
    Cell::text(word)
}

fn z_cell(z: Option<Z>) -> Cell {
    Z::usable(z).map_or(Cell::Empty, Cell::Num)
}

/// One balita's weighing day.
#[derive(Default)]
struct Day {
    weight: Option<f64>,
    length: Option<(f64, MeasurementKind)>,
    muac: Option<f64>,
    growth: Option<&'static str>,
    vitamin_a: bool,
}

/// The export of `unit` (and below) for the month starting `month`.
pub async fn export(
    store: &Store,
    actor: &Actor,
    unit: OrgUnitId,
    month: Date,
) -> Result<Table, StoreError> {
    let end = next_month(month);
    let persons: HashMap<PersonId, Person> = store
        .persons_under(actor, unit)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let households: HashMap<HouseholdId, Household> = store
        .households_under(actor, unit)
        .await?
        .into_iter()
        .map(|h| (h.id, h))
        .collect();
    let units: HashMap<OrgUnitId, OrgUnit> = store
        .org_units_under(actor, unit)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let above = store.ancestors_of(actor, unit).await?;
    let mothers: HashMap<PersonId, PersonId> = store
        .relationships_under(actor, unit)
        .await?
        .into_iter()
        .filter(|r| r.kind == RelationKind::MotherOf)
        .map(|r| (r.related_person_id, r.person_id))
        .collect();
    let activity = store.activity_under(actor, unit, month, end).await?;
    let born = month - time::Duration::days(crate::monthly::facts::BALITA_DAYS + 31);
    let kia: std::collections::HashSet<PersonId> = store
        .persons_with_answer_before(
            actor,
            unit,
            ("LAYANAN", crate::monthly::KIA_BOOK),
            born,
            end,
        )
        .await?
        .into_iter()
        .collect();

    let mut days: BTreeMap<(PersonId, Date), Day> = BTreeMap::new();
    for m in activity.measurements.iter().filter(|m| !m.implausible) {
        let d = days.entry((m.person_id, m.measured_on)).or_default();
        match m.kind {
            MeasurementKind::Weight => d.weight = Some(m.value),
            MeasurementKind::Length | MeasurementKind::Height => d.length = Some((m.value, m.kind)),
            MeasurementKind::ArmCircumference => d.muac = Some(m.value),
            _ => {}
        }
    }
    for f in &activity.findings {
        let code = match f.code.as_str() {
            "kms_n" => "N",
            "kms_t" | "kms_2t" => "T",
            "kms_o" => "O",
            "kms_b" => "B",
            _ => continue,
        };
        if let Some(d) = days.get_mut(&(f.person_id, f.found_on)) {
            d.growth = Some(code);
        }
    }
    for s in activity
        .screenings
        .iter()
        .filter(|s| s.questionnaire == "LAYANAN")
    {
        if s.answers.contains_key("vitamin_a")
            && let Some(d) = days.get_mut(&(s.person_id, s.answered_on))
        {
            d.vitamin_a = true;
        }
    }

    // The names above each posyandu: the unit's own ancestors, then the units under it.
    let name_at = |p: &Person, level: store::codes::OrgLevel| -> Cell {
        let path = units
            .get(&p.org_unit_id)
            .map(|u| u.path.as_str().to_owned())
            .unwrap_or_default();
        above
            .iter()
            .chain(units.values())
            .find(|u| u.level == level && path.starts_with(u.path.as_str()))
            .map_or(Cell::Empty, |u| Cell::text(&u.name))
    };
    let settings = domain::Settings::default();
    let mut rows = Vec::new();
    for ((id, on), d) in &days {
        let Some(p) = persons.get(id) else { continue };
        let Some(age) = Age::at(p.birth_date, *on).filter(|a| a.is_balita()) else {
            continue;
        };
        if d.weight.is_none() {
            continue;
        }
        let sex = match p.sex {
            store::Sex::Male => domain::visit::Sex::Male,
            store::Sex::Female => domain::visit::Sex::Female,
        };
        let m = Measurements {
            weight_kg: d.weight,
            lenhei_cm: d.length.map(|(v, _)| v),
            measure: d.length.map(|(_, k)| {
                if k == MeasurementKind::Length {
                    Position::Lying
                } else {
                    Position::Standing
                }
            }),
            muac_cm: d.muac,
            ..Measurements::default()
        };
        let z: Zscores = zscores(Some(sex), age, &m);
        let mut found = domain::catalogue::Findings::default();
        balita_rules(&z, age, &m, &settings, &mut found);
        let codes: Vec<&str> = found.finish().iter().map(|r| r.code).collect();
        let household = p.household_id.and_then(|h| households.get(&h));
        let parent = p.parent_name.clone().or_else(|| {
            mothers
                .get(id)
                .and_then(|m| persons.get(m))
                .map(|m| m.name.clone())
        });
        use store::codes::OrgLevel as L;
        let cells = vec![
            Cell::opt_text(p.nik.as_ref().map(|n| n.as_str())),
            Cell::text(&p.name),
            Cell::text(p.sex.code()),
            Cell::Date(p.birth_date),
            Cell::Empty,
            Cell::Empty,
            Cell::opt_text(parent.as_deref()),
            name_at(p, L::Province),
            name_at(p, L::Regency),
            name_at(p, L::District),
            name_at(p, L::Puskesmas),
            name_at(p, L::Village),
            units
                .get(&p.org_unit_id)
                .map_or(Cell::Empty, |u| Cell::text(&u.name)),
            Cell::opt_text(household.and_then(|h| h.rt.as_deref())),
            Cell::opt_text(household.and_then(|h| h.rw.as_deref())),
            Cell::opt_text(household.and_then(|h| h.address.as_deref())),
            Cell::text(age_text(p.birth_date, *on)),
            Cell::Date(*on),
            Cell::text(format!("{:02}-{}", u8::from(on.month()), on.year())),
            d.weight.map_or(Cell::Empty, Cell::Num),
            d.length.map_or(Cell::Empty, |(v, _)| Cell::Num(v)),
            match d.length.map(|(_, k)| k) {
                Some(MeasurementKind::Length) => Cell::text("Telentang"),
                Some(_) => Cell::text("Berdiri"),
                None => Cell::Empty,
            },
            d.muac.map_or(Cell::Empty, Cell::Num),
            category(
                &codes,
                Z::usable(z.zwei),
                &[
                    ("wfa_severely_underweight", "Berat Badan Sangat Kurang"),
                    ("wfa_underweight", "Berat Badan Kurang"),
                    ("wfa_risk_overweight", "Risiko Berat Badan Lebih"),
                ],
                "Berat Badan Normal",
            ),
            z_cell(z.zwei),
            category(
                &codes,
                Z::usable(z.zlen),
                &[
                    ("lfa_severely_stunted", "Sangat Pendek"),
                    ("lfa_stunted", "Pendek"),
                    ("lfa_tall", "Tinggi"),
                ],
                "Normal",
            ),
            z_cell(z.zlen),
            category(
                &codes,
                Z::usable(z.zwfl),
                &[
                    ("wfl_severely_wasted", "Gizi Buruk"),
                    ("wfl_wasted", "Gizi Kurang"),
                    ("wfl_risk_overweight", "Berisiko Gizi Lebih"),
                    ("wfl_overweight", "Gizi Lebih"),
                    ("wfl_obese", "Obesitas"),
                ],
                "Gizi Baik",
            ),
            z_cell(z.zwfl),
            d.growth.map_or(Cell::Empty, Cell::text),
            Cell::Empty,
            if d.vitamin_a {
                Cell::Int(1)
            } else {
                Cell::Empty
            },
            Cell::Empty,
            if kia.contains(id) {
                Cell::text("Ya")
            } else {
                Cell::Empty
            },
        ];
        rows.push(Row {
            person: Some(*id),
            cells,
        });
    }
    Ok(Table {
        headers: COLUMNS.iter().map(|c| (*c).to_owned()).collect(),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn calendar_age_as_e_ppgbm_prints_it() {
        let cases = [
            (
                date!(2025 - 03 - 14),
                date!(2026 - 07 - 01),
                "1 Tahun - 3 Bulan - 17 Hari",
            ),
            (
                date!(2026 - 01 - 31),
                date!(2026 - 03 - 01),
                "0 Tahun - 1 Bulan - 1 Hari",
            ),
            (
                date!(2026 - 01 - 31),
                date!(2026 - 02 - 28),
                "0 Tahun - 0 Bulan - 28 Hari",
            ),
            (
                date!(2024 - 02 - 29),
                date!(2026 - 02 - 28),
                "1 Tahun - 11 Bulan - 30 Hari",
            ),
            (
                date!(2026 - 06 - 01),
                date!(2026 - 06 - 01),
                "0 Tahun - 0 Bulan - 0 Hari",
            ),
        ];
        for (birth, on, want) in cases {
            assert_eq!(age_text(birth, on), want, "{birth} → {on}");
        }
    }
}
