//! What the database holds after `posyandu demo`: the counts and a content checksum, read
//! back through the store (so it checks the write, not the generator). Row metadata (write
//! times, sequence numbers) is left out: two databases filled from one seed give the same
//! checksum, on either engine.
//!
//! The fixed tree is read back whole, as always (its checksum is pinned by earlier runs). A
//! scaled region (up to a kabupaten of a million persons) would not fit in memory read back
//! at once, so it is read Puskesmas by Puskesmas: its checksum is the SHA-256 of the units'
//! digest and each Puskesmas's digest in path order, and the counts are summed.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use anyhow::Context;
use store::model::{OrgLevel, ReferralStatus};
use store::{Actor, OrgUnitId, Store};

use demo::summary;

/// The counts read back, summed over the subtrees read.
#[derive(Default)]
struct Counts {
    units: usize,
    households: usize,
    persons: usize,
    service_days: usize,
    visits: usize,
    measurements: usize,
    flagged: usize,
    doses: usize,
    screenings: usize,
    findings: usize,
    referrals: usize,
    done: usize,
    by_code: BTreeMap<String, usize>,
}

/// SHA-256 of the lines, sorted so that the engines' different collations (row order of
/// name-ordered lists) do not change it: SQLite and PostgreSQL filled from one seed agree.
fn digest(text: &str) -> String {
    let mut lines: Vec<&str> = text.lines().collect();
    lines.sort_unstable();
    summary::sha256_hex(lines.join("\n").as_bytes())
}

fn unit_lines(units: &[store::OrgUnit], h: &mut String) {
    for u in units {
        let _ = writeln!(h, "U{}|{}|{}", u.id, u.path, u.name);
    }
}

/// Appends the lines of the records under `unit` (households, persons, measurements, doses,
/// screenings, visits; findings and referrals are counted, not hashed) and adds their counts.
async fn subtree(
    db: &Store,
    unit: OrgUnitId,
    (start, end): (time::Date, time::Date),
    c: &mut Counts,
    h: &mut String,
) -> anyhow::Result<()> {
    let actor = Actor::system("demo");
    let households = db.households_under(&actor, unit).await?;
    let persons = db.persons_under(&actor, unit).await?;
    let to = end.next_day().context("tanggal akhir")?;
    // Doses and ANC contacts before the period belong to the children's history too.
    let from = start.replace_year(start.year() - 7).unwrap_or(start);
    let act = db.activity_under(&actor, unit, from, to).await?;
    for x in &households {
        let _ = writeln!(h, "H{}|{}|{:?}", x.id, x.head_name, x.kk_number);
    }
    for p in &persons {
        let nik = p.nik.as_ref().map(|n| n.as_str().to_owned());
        let _ = writeln!(
            h,
            "P{}|{}|{}|{:?}|{:?}",
            p.id, p.name, p.birth_date, nik, p.household_id
        );
    }
    for m in &act.measurements {
        let _ = writeln!(
            h,
            "M{}|{}|{}|{}|{}",
            m.id,
            m.measured_on,
            m.kind.code(),
            m.value,
            m.implausible
        );
    }
    for d in &act.doses {
        let _ = writeln!(
            h,
            "D{}|{}|{}|{:?}",
            d.id, d.given_on, d.vaccine, d.dose_number
        );
    }
    for s in &act.screenings {
        let _ = writeln!(
            h,
            "S{}|{}|{}|{:?}",
            s.id, s.answered_on, s.questionnaire, s.score
        );
    }
    for v in &act.visits {
        let _ = writeln!(h, "V{}|{}|{}", v.id, v.date, v.person_id);
    }
    c.households += households.len();
    c.persons += persons.len();
    c.service_days += act.service_days.len();
    c.visits += act.visits.len();
    c.measurements += act.measurements.len();
    c.flagged += act.measurements.iter().filter(|m| m.implausible).count();
    c.doses += act.doses.len();
    c.screenings += act.screenings.len();
    c.findings += act.findings.len();
    c.referrals += act.referrals.len();
    c.done += act
        .referrals
        .iter()
        .filter(|r| r.status == ReferralStatus::Completed)
        .count();
    for f in &act.findings {
        *c.by_code.entry(f.code.clone()).or_default() += 1;
    }
    Ok(())
}

/// Counts and checksum of everything under `root` (the demo's provinsi), read whole (the
/// fixed tree) or Puskesmas by Puskesmas (`by_puskesmas`, a scaled region).
pub async fn read_back(
    db: &Store,
    root: OrgUnitId,
    period: (time::Date, time::Date),
    by_puskesmas: bool,
) -> anyhow::Result<String> {
    let actor = Actor::system("demo");
    let units = db.org_units_under(&actor, root).await?;
    let mut c = Counts {
        units: units.len(),
        ..Counts::default()
    };
    let hex = if by_puskesmas {
        let mut u = String::new();
        unit_lines(&units, &mut u);
        let mut parts = format!("units:{}\n", digest(&u));
        for p in units.iter().filter(|u| u.level == OrgLevel::Puskesmas) {
            let mut h = String::new();
            subtree(db, p.id, period, &mut c, &mut h).await?;
            let _ = writeln!(parts, "{}:{}", p.path, digest(&h));
        }
        summary::sha256_hex(parts.as_bytes())
    } else {
        let mut h = String::new();
        unit_lines(&units, &mut h);
        subtree(db, root, period, &mut c, &mut h).await?;
        digest(&h)
    };
    // The findings the rules gave, most frequent first (what target lists will show).
    let mut codes: Vec<(&String, &usize)> = c.by_code.iter().collect();
    codes.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let top: Vec<String> = codes
        .iter()
        .take(12)
        .map(|(code, n)| format!("{code} {n}"))
        .collect();
    Ok(format!(
        "Di basis data: {} unit, {} KK, {} penduduk, {} hari buka, {} kunjungan, {} pengukuran ({} ditandai periksa ulang), {} dosis, {} skrining, {} temuan, {} rujukan ({} selesai).\nTemuan terbanyak: {}\nChecksum isi basis data: {hex}",
        c.units,
        c.households,
        c.persons,
        c.service_days,
        c.visits,
        c.measurements,
        c.flagged,
        c.doses,
        c.screenings,
        c.findings,
        c.referrals,
        c.done,
        top.join(", "),
    ))
}
