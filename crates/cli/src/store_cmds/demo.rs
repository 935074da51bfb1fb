//! `posyandu demo`: writes the seeded demo region (crate `demo`) into the store.
//!
//! The generator is pure; this module only writes its records as the system actor
//! `system:demo`, then reads the region back to print what the database now holds. The
//! fixed tree (up to 40,000 persons) is one transaction, all or nothing; a bigger region
//! (`demo::scale`, up to a kabupaten of a million persons) comes in parts
//! (`demo::parts`: the fixed tree, the added tree, then desa by desa), each generated,
//! written in its own transaction and dropped before the next, so memory stays that of one
//! desa. Ids are derived from the seed, so running the command again on the same database
//! stores nothing new (and completes a run that was interrupted between parts).

mod check;

use crate::out::{complain, say};
use std::time::{Duration, Instant};

use anyhow::Context;

use store::{Actor, Capture, Outcome, Store};
use time::OffsetDateTime;

use demo::parts::Parts;
use demo::to_store::{self, StoreRecords};
use demo::{DemoConfig, summary};

#[derive(clap::Args, Debug)]
pub struct DemoArgs {
    /// Seed of the generator: the same seed always gives the same region.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    /// About how many persons to generate.
    #[arg(long, default_value_t = 6000)]
    pub persons: usize,
    /// Last month of the two years of service days, YYYY-MM (part of what the seed fixes).
    #[arg(long, default_value = "2026-10", value_parser = parse_month)]
    pub last_month: (i32, time::Month),
}

/// `YYYY-MM` → (year, month).
fn parse_month(text: &str) -> Result<(i32, time::Month), String> {
    let bad = || format!("'{text}' bukan bulan: tulis TTTT-BB, mis. 2026-10");
    let month = report::monthly::parse_month(text).ok_or_else(bad)?;
    if !(2000..=2100).contains(&month.year()) {
        return Err(bad());
    }
    Ok((month.year(), month.month()))
}

/// Notes written with the referral steps diterima, ditindaklanjuti, selesai.
const DEMO_NOTES: [&str; 3] = [
    "Diterima di Puskesmas",
    "Diperiksa dokter, diberi tata laksana",
    "Selesai, kembali dipantau di posyandu",
];

/// What one write of the demo did.
#[derive(Default)]
struct Written {
    inserted: u64,
    existing: u64,
}

impl Written {
    fn add(&mut self, o: Outcome) {
        match o {
            Outcome::Inserted => self.inserted += 1,
            Outcome::Duplicate => self.existing += 1,
        }
    }
}

pub async fn run(db: &Store, args: &DemoArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let cfg = DemoConfig::ending(args.seed, args.persons, args.last_month);
    let (start, end) = cfg.period().context("periode demo tidak valid")?;
    let parts = Parts::new(&cfg)?;
    let scaled = parts.plan().is_some();
    if let Some(plan) = parts.plan() {
        complain!(
            "Wilayah demo besar: {} kecamatan, {} desa tambahan, {} posyandu; ditulis per desa ({} bagian, tiap bagian satu transaksi).",
            plan.kecamatan.len(),
            plan.desa.len(),
            plan.posyandu(),
            parts.part_count()
        );
    }
    let mut tally = summary::Tally::default();
    let mut written = Written::default();
    let mut users: Vec<store::NewUser> = Vec::new();
    let mut root = None;
    let (mut generated, mut stored) = (Duration::ZERO, Duration::ZERO);
    let mut progress = Progress::default();
    for part in parts {
        let t0 = Instant::now();
        let part = part?;
        tally += &summary::tally(&part.region, end);
        let records = to_store::records_with(&part.region, &part.keys);
        let persons = part.region.persons.len();
        drop(part.region);
        let t1 = Instant::now();
        generated += t1 - t0;
        if root.is_none() {
            let first = records
                .org_units
                .first()
                .context("pohon organisasi kosong")?;
            check_root(db, first).await?;
            root = Some(first.id);
        }
        write(db, &records, &mut written)
            .await
            .with_context(|| format!("bagian {}", part.label))?;
        stored += t1.elapsed();
        users.extend(records.users.iter().cloned());
        if scaled {
            progress.step(part.kecamatan, persons, started);
        }
    }
    progress.finish(started);
    let root = root.context("pohon organisasi kosong")?;
    let summary = tally.summary();
    say!(
        "Wilayah demo (seed {}), periode {start} s.d. {end}.",
        cfg.seed
    )?;
    say!(
        "Ditulis: {} baru, {} sudah ada (dijalankan ulang tidak menambah data).",
        written.inserted,
        written.existing
    )?;
    let logins: Vec<String> = users.iter().map(|u| u.username.clone()).collect();
    let examples = set_demo_passwords(db, &users).await?;
    let check = check::read_back(db, root, (start, end), scaled).await?;
    say!("{check}")?;
    say!("{}", region_rates(&summary, end))?;
    say!(
        "Pengguna demo: {} (kader, bidan desa, Puskesmas, Dinkes), mis. {}.",
        logins.len(),
        logins
            .iter()
            .take(4)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    say!("Masuk ke aplikasi (posyandu serve) dengan akun demo, satu contoh per peran:")?;
    for (username, role, password) in &examples {
        say!("  {username:<40} {role:<18} kata sandi: {password}")?;
    }
    say!(
        "Waktu: buat {:.2} s, tulis {:.2} s, total {:.2} s.",
        generated.as_secs_f64(),
        stored.as_secs_f64(),
        started.elapsed().as_secs_f64()
    )?;
    Ok(())
}

/// Progress of a scaled region on stderr, one line per kecamatan written.
#[derive(Default)]
struct Progress {
    kecamatan: Option<&'static str>,
    desa: usize,
    persons: usize,
}

impl Progress {
    fn step(&mut self, kecamatan: Option<&'static str>, persons: usize, started: Instant) {
        if kecamatan != self.kecamatan {
            self.finish(started);
            self.kecamatan = kecamatan;
        }
        self.desa += 1;
        self.persons += persons;
    }

    fn finish(&mut self, started: Instant) {
        if self.desa > 0 {
            let what = match self.kecamatan {
                Some(k) => format!("kecamatan {k}: {} desa", self.desa),
                None => "wilayah tetap dan pohon".to_owned(),
            };
            complain!(
                "  {what}, {} penduduk ditulis ({:.0} s)",
                self.persons,
                started.elapsed().as_secs_f64()
            );
        }
        self.desa = 0;
        self.persons = 0;
    }
}

/// What the generator made of the region, as rates: the counts and the checksum printed are
/// the database's own (read back), so each is said once.
fn region_rates(s: &summary::Summary, end: time::Date) -> String {
    let pct = |x: f64| format!("{:.1} %", x * 100.0);
    format!(
        "Pada {end}: balita {}, lansia {}; stunting {}, T / 2T {} / {} (T di bawah 2 tahun {}), \
         BGM {}, hipertensi (≥18) {}; {} kehamilan (KEK {}, risiko tinggi {}).",
        s.balita_at_end,
        s.elderly_at_end,
        pct(s.stunting),
        pct(s.t_share),
        pct(s.t2_share),
        pct(s.t_share_under2),
        pct(s.bgm_share),
        pct(s.hypertension_share),
        s.pregnancies,
        pct(s.kek_share),
        pct(s.high_risk_share),
    )
}

/// The demo's province must be absent or the demo's own (same seed): never mix trees.
async fn check_root(db: &Store, root: &store::NewOrgUnit) -> anyhow::Result<()> {
    let actor = Actor::system("demo");
    let path = store::OrgPath::root().child(&root.code)?;
    if let Some(existing) = db.org_unit_by_path(&actor, &path).await?
        && existing.id != root.id
    {
        anyhow::bail!(
            "basis data sudah berisi unit {} ({path}) yang bukan dari demo dengan seed ini: \
             pakai basis data baru, atau --seed yang sama seperti sebelumnya",
            existing.name
        );
    }
    Ok(())
}

/// Writes one part in one transaction, in dependency order.
async fn write(db: &Store, r: &StoreRecords, w: &mut Written) -> anyhow::Result<()> {
    let actor = Actor::system("demo");
    let mut tx = db.begin(&actor).await?;
    for u in &r.org_units {
        let s = tx
            .create_org_unit(u)
            .await
            .with_context(|| format!("unit {}", u.name))?;
        w.add(s.outcome);
    }
    for u in &r.users {
        let s = tx
            .create_user(u)
            .await
            .with_context(|| format!("pengguna {}", u.username))?;
        w.add(s.outcome);
    }
    for h in &r.households {
        w.add(
            tx.create_household(h)
                .await
                .context("rumah tangga")?
                .outcome,
        );
    }
    for p in &r.persons {
        let (s, _warnings) = tx.create_person(p).await.context("penduduk")?;
        w.add(s.outcome);
    }
    for rel in &r.relationships {
        w.add(
            tx.create_relationship(rel)
                .await
                .context("hubungan keluarga")?
                .outcome,
        );
    }
    for g in &r.pregnancies {
        let s = tx.open_pregnancy(&g.new).await.context("kehamilan")?;
        w.add(s.outcome);
        if let Some((outcome, on)) = g.outcome
            && s.record.outcome.is_none()
        {
            tx.record_pregnancy_outcome(g.new.id, s.record.meta.version, outcome, on)
                .await
                .context("hasil kehamilan")?;
        }
    }
    for (record, kader) in &r.recorded_by {
        tx.record_as(*record, *kader)?;
    }
    let batch = tx.capture_batch(&r.captures).await.context("layanan")?;
    w.inserted += batch.inserted;
    w.existing += batch.duplicates;
    // Past service days were finished: closed at noon (three hours after they opened), as
    // a kader closes the day after the summary. A re-run leaves them as they are.
    let today = OffsetDateTime::now_utc().date();
    for c in &r.captures {
        if let Capture::ServiceDay(d) = c
            && d.date < today
        {
            tx.set_day_closed(d.id, Some(d.captured_at + time::Duration::hours(3)))
                .await
                .context("hari buka ditutup")?;
        }
    }
    // Referrals follow their findings; each moves through its statuses in order. On a re-run
    // a referral already stored keeps the status it has.
    for rf in &r.referrals {
        let s = tx.create_referral(&rf.new).await.context("rujukan")?;
        w.add(s.outcome);
        if s.outcome == Outcome::Inserted {
            let mut version = s.record.meta.version;
            for (i, status) in rf.steps.iter().enumerate() {
                let note = DEMO_NOTES.get(i).copied();
                version = tx
                    .advance_referral(rf.new.id, version, *status, note)
                    .await
                    .context("status rujukan")?
                    .meta
                    .version;
            }
        }
    }
    tx.commit().await?;
    Ok(())
}

/// The command's defaults, for `serve --demo`.
impl Default for DemoArgs {
    fn default() -> Self {
        Self {
            seed: 2026,
            persons: 6000,
            last_month: (2026, time::Month::October),
        }
    }
}

/// The documented demo password of each role (README, "posyandu serve"): demo data only.
pub fn demo_password(role: store::Role) -> &'static str {
    match role {
        store::Role::Kader => "kader-demo-2026",
        store::Role::Bidan => "bidan-demo-2026",
        store::Role::PuskesmasOfficer => "puskesmas-demo-2026",
        store::Role::DinkesAdmin => "dinkes-demo-2026",
    }
}

/// Gives every demo account without a password its role's demo password (a password set
/// since, e.g. with `posyandu user passwd`, is kept). Returns one example login per role.
async fn set_demo_passwords(
    db: &Store,
    users: &[store::NewUser],
) -> anyhow::Result<Vec<(String, &'static str, &'static str)>> {
    let actor = Actor::system("demo");
    let mut examples: Vec<(String, &'static str, &'static str)> = Vec::new();
    // One hash per role, shared by that role's demo accounts: they share the password
    // anyway, and argon2id is slow on purpose (22 hashes would add seconds to every load).
    let mut hashes: Vec<(store::Role, store::password::PasswordHash)> = Vec::new();
    for u in users {
        let password = demo_password(u.role);
        if !examples.iter().any(|(_, role, _)| *role == u.role.code()) {
            examples.push((u.username.clone(), u.role.code(), password));
        }
        let Some(creds) = db.credentials(&u.username).await? else {
            continue;
        };
        if creds.password_hash.is_some() {
            continue;
        }
        let hash = match hashes.iter().find(|(r, _)| *r == u.role) {
            Some((_, h)) => h.clone(),
            None => {
                let h = store::password::hash_async(u.username.clone(), password.to_owned())
                    .await
                    .map_err(|e| anyhow::anyhow!("kata sandi demo {}: {e}", u.username))?;
                hashes.push((u.role, h.clone()));
                h
            }
        };
        let mut tx = db.begin(&actor).await?;
        tx.set_password(creds.user.id, &hash).await?;
        tx.commit().await?;
    }
    Ok(examples)
}
