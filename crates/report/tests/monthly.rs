//! The monthly report on a real record (SQLite and PostgreSQL), checked by hand: one
//! posyandu's October 2026, each number written out with who it counts and why; the
//! Puskesmas' report is the sum of its villages'; the list behind each number is as long
//! as the number; a kader of one posyandu cannot open the Puskesmas.
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "../../store/tests/conformance/fixture.rs"]
mod fixture;
#[allow(dead_code)]
#[path = "../../store/tests/conformance/harness.rs"]
mod harness;
mod support {
    pub mod captures;
}

use support::captures::{capture, dose, finding, reading, services};

use report::monthly::{AgeBand, Numbers, Value, indicators, monthly};
use store::codes::MeasurementKind;
use store::{Actor, Capture, OrgUnit, Person, Sex, Store};
use time::macros::date;

fn count(n: &Numbers, code: &str) -> u64 {
    n.tally(code).total
}

fn percent(n: &Numbers, code: &str) -> Option<f64> {
    match n.value(indicators::by_code(code).unwrap()) {
        Value::Ratio { percent, .. } => percent,
        Value::Count { .. } => panic!("{code} is a count"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn october_at_melati_counted_by_hand_on_sqlite() {
    let db = harness::sqlite().await;
    october_at_melati_counted_by_hand(db.store.clone()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn october_at_melati_counted_by_hand_on_postgres() {
    if let Some(db) = harness::postgres_or_skip().await {
        october_at_melati_counted_by_hand(db.store.clone()).await;
    }
}

async fn october_at_melati_counted_by_hand(store: Store) {
    use MeasurementKind::{Height, Length, Weight};
    let r = fixture::region(&store).await;
    let sys = Actor::system("test");
    let add = async |at: &OrgUnit, name: &str, sex, birth| {
        fixture::add_person(&store, &sys, &fixture::person(at, name, sex, birth)).await
    };
    let melati = &r.posyandu_a;
    // Ages on 31 October 2026, the month's last day.
    let ani = add(melati, "Ani", Sex::Female, date!(2026 - 08 - 15)).await; // 77 d: 0–5 bl
    let budi = add(melati, "Budi", Sex::Male, date!(2024 - 01 - 10)).await; // 33 bl
    let citra = add(melati, "Citra", Sex::Female, date!(2023 - 03 - 01)).await; // 44 bl
    let dodi = add(melati, "Dodi", Sex::Male, date!(2021 - 10 - 01)).await; // 1,856 d: no balita
    let eka = add(melati, "Eka", Sex::Female, date!(2025 - 09 - 20)).await; // 13 bl
    let gita = add(melati, "Gita", Sex::Female, date!(2025 - 04 - 01)).await; // 18 bl
    let joko = add(melati, "Joko", Sex::Male, date!(2025 - 12 - 20)).await; // 10 bl
    let hadi = add(&r.posyandu_b, "Hadi", Sex::Male, date!(2025 - 06 - 01)).await; // 16 bl
    let (oct5, oct12, oct20) = (
        date!(2026 - 10 - 05),
        date!(2026 - 10 - 12),
        date!(2026 - 10 - 20),
    );
    capture(
        &store,
        vec![
            // Ani: first weighing (B), measured lying the same day.
            reading(&ani, oct5, Weight, 5.0),
            reading(&ani, oct5, Length, 56.0),
            finding(&ani, oct5, "kms_b"),
            // Budi: N on the 5th, weighed again on the 20th and T: the last weighing counts.
            // Stunted and wasted on the 5th (weight and height that day); underweight on the
            // 20th, his last weighing.
            reading(&budi, oct5, Weight, 10.0),
            reading(&budi, oct5, Height, 86.0),
            finding(&budi, oct5, "kms_n"),
            finding(&budi, oct5, "lfa_stunted"),
            finding(&budi, oct5, "wfl_wasted"),
            reading(&budi, oct20, Weight, 9.9),
            finding(&budi, oct20, "kms_t"),
            finding(&budi, oct20, "wfa_underweight"),
            // Citra: weighed in September only.
            reading(&citra, date!(2026 - 09 - 10), Weight, 13.0),
            finding(&citra, date!(2026 - 09 - 10), "kms_n"),
            // Dodi: weighed, but past 1,826 days on the 31st: in no number.
            reading(&dodi, oct5, Weight, 16.0),
            finding(&dodi, oct5, "kms_n"),
            // Eka: back after missing September (O), below the red line, severely
            // underweight; no length.
            reading(&eka, oct5, Weight, 6.0),
            finding(&eka, oct5, "kms_o"),
            finding(&eka, oct5, "kms_bgm"),
            finding(&eka, oct5, "wfa_severely_underweight"),
            // Gita: N, with height the same day and overweight for it.
            reading(&gita, oct12, Weight, 12.5),
            reading(&gita, oct12, Length, 80.0),
            finding(&gita, oct12, "kms_n"),
            finding(&gita, oct12, "wfl_overweight"),
            // November does not count in October.
            reading(&ani, date!(2026 - 11 - 02), Weight, 5.6),
            finding(&ani, date!(2026 - 11 - 02), "kms_n"),
            // Doses: Ani's HB0 at birth (August), BCG and OPV1 in October.
            dose(&ani, date!(2026 - 08 - 15), "HB0"),
            dose(&ani, oct5, "BCG"),
            dose(&ani, oct5, "OPV1"),
            // Services: vitamin A for Joko, deworming for Budi, PMT for Eka; Gita's PMT
            // in September does not count. Buku KIA seen: Ani and Eka in October, Citra
            // and Gita in September (theirs in October too); Joko's "false"; Budi's only
            // in November.
            services(
                &joko,
                oct5,
                serde_json::json!({"vitamin_a": "biru", "buku_kia": false}),
            ),
            services(&budi, oct5, serde_json::json!({"obat_cacing": true})),
            services(
                &eka,
                oct5,
                serde_json::json!({"pmt": true, "obat_cacing": false, "buku_kia": true}),
            ),
            services(
                &gita,
                date!(2026 - 09 - 12),
                serde_json::json!({"pmt": true, "buku_kia": true}),
            ),
            services(&ani, oct5, serde_json::json!({"buku_kia": true})),
            services(
                &citra,
                date!(2026 - 09 - 10),
                serde_json::json!({"buku_kia": true}),
            ),
            services(
                &budi,
                date!(2026 - 11 - 02),
                serde_json::json!({"buku_kia": true}),
            ),
            // Hadi, at Mawar in the other village: N.
            reading(&hadi, date!(2026 - 10 - 07), Weight, 10.5),
            finding(&hadi, date!(2026 - 10 - 07), "kms_n"),
        ],
    )
    .await;
    // Joko: every basic dose in May but MR1, given in October: IDL complete in October.
    let basic = domain::immunization::idl_set(domain::settings::ScheduleSet::Post2022);
    let joko_doses = basic
        .iter()
        .map(|c| {
            let on = if *c == "MR1" {
                oct5
            } else {
                date!(2026 - 05 - 01)
            };
            dose(&joko, on, c)
        })
        .collect();
    capture(&store, joko_doses).await;
    // Pregnant women and the other life-cycle groups (ages on 31 October).
    let wati = add(melati, "Wati", Sex::Female, date!(1998 - 05 - 05)).await;
    let rina = add(melati, "Rina", Sex::Female, date!(1990 - 01 - 01)).await;
    let darto = add(melati, "Darto", Sex::Male, date!(1960 - 01 - 01)).await; // 66 y
    let dewi = add(melati, "Dewi", Sex::Female, date!(2012 - 03 - 03)).await; // 14 y
    add(melati, "Eko", Sex::Male, date!(1985 - 01 - 01)).await; // not seen in October
    let mut tx = store.begin(&sys).await.unwrap();
    let pregnancy = |p: &Person, lmp| store::NewPregnancy {
        id: store::PregnancyId::new(),
        person_id: p.id,
        lmp: Some(lmp),
        due_date: None,
        gravida: None,
        para: None,
        abortus: None,
        high_risk: false,
    };
    tx.open_pregnancy(&pregnancy(&wati, date!(2026 - 06 - 01)))
        .await
        .unwrap();
    let ended = tx
        .open_pregnancy(&pregnancy(&rina, date!(2025 - 12 - 01)))
        .await
        .unwrap()
        .record;
    tx.record_pregnancy_outcome(
        ended.id,
        ended.meta.version,
        store::codes::PregnancyOutcome::LiveBirth,
        date!(2026 - 09 - 01),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let visit = |p: &Person, on| Capture::Visit(fixture::visit(p, melati, on));
    capture(
        &store,
        vec![
            // Wati: seen, KEK, given iron tablets.
            visit(&wati, oct5),
            finding(&wati, oct5, "kek"),
            services(&wati, oct5, serde_json::json!({"ttd": 30})),
            // Rina: her pregnancy ended in September: seen as an adult only.
            visit(&rina, oct5),
            finding(&rina, oct5, "hypertension_grade1"),
            // Darto: lansia, hypertensive, a SKILAS finding.
            visit(&darto, oct5),
            finding(&darto, oct5, "hypertension_grade2"),
            finding(&darto, oct5, "skilas_vision"),
            // Dewi: 14, anaemic.
            visit(&dewi, oct12),
            finding(&dewi, oct12, "anemia_mild"),
        ],
    )
    .await;
    let october = date!(2026 - 10 - 17); // any day of the month
    let m = monthly(&store, &sys, melati.id, october).await.unwrap();
    let n = &m.numbers;
    assert_eq!(m.month, date!(2026 - 10 - 01));
    // S: Ani, Budi, Citra, Eka, Gita, Joko (Dodi is past balita age).
    assert_eq!(count(n, "s"), 6);
    // K: Ani, Citra, Eka, Gita (a Buku KIA noted by the 31st).
    assert_eq!(count(n, "k"), 4);
    // D: Ani, Budi, Eka, Gita.
    assert_eq!(count(n, "d"), 4);
    assert_eq!(count(n, "n"), 1); // Gita
    assert_eq!(count(n, "t"), 1); // Budi (his last weighing)
    assert_eq!(count(n, "o"), 1); // Eka
    assert_eq!(count(n, "b"), 1); // Ani
    assert_eq!(count(n, "d_aksen"), 2); // N + T
    assert_eq!(count(n, "t2"), 0);
    assert_eq!(count(n, "bgm"), 1); // Eka
    assert_eq!(percent(n, "d_per_s"), Some(66.7)); // 4 / 6
    assert_eq!(percent(n, "k_per_s"), Some(66.7)); // 4 / 6
    assert_eq!(percent(n, "d_per_k"), Some(100.0)); // 4 / 4
    assert_eq!(
        count(n, "kader_bertugas"),
        0,
        "recorded by the system, no kader"
    );
    assert_eq!(percent(n, "n_per_d"), Some(25.0)); // 1 / 4
    assert_eq!(percent(n, "n_per_d_aksen"), Some(50.0)); // 1 / 2
    assert_eq!(percent(n, "n_per_s"), Some(16.7)); // 1 / 6
    assert_eq!(percent(n, "bgm_per_d"), Some(25.0)); // 1 / 4
    // Measured length/height: Ani, Budi, Gita; stunted: Budi.
    assert_eq!(count(n, "diukur_tb"), 3);
    assert_eq!(count(n, "stunting"), 1);
    assert_eq!(percent(n, "prev_stunting"), Some(33.3));
    // Underweight at the last weighing: Budi (20th), Eka.
    assert_eq!(count(n, "underweight"), 2);
    assert_eq!(percent(n, "prev_underweight"), Some(50.0));
    // Weight and length the same day: Ani, Budi (the 5th), Gita; wasted Budi, overweight Gita.
    assert_eq!(count(n, "diukur_bbtb"), 3);
    assert_eq!(count(n, "wasting"), 1);
    assert_eq!(count(n, "overweight"), 1);
    assert_eq!(percent(n, "prev_wasting"), Some(33.3));
    // By age band and sex: S girls 0–5 Ani; 12–23 Eka, Gita; 24–59 Citra; boys 24–59 Budi.
    let s = n.tally("s");
    assert_eq!(s.of(AgeBand::M0To5, Sex::Female), 1);
    assert_eq!(s.of(AgeBand::M6To11, Sex::Female), 0);
    assert_eq!(s.of(AgeBand::M12To23, Sex::Female), 2);
    assert_eq!(s.of(AgeBand::M24To59, Sex::Female), 1);
    assert_eq!(s.of(AgeBand::M24To59, Sex::Male), 1);
    assert_eq!(s.of(AgeBand::M6To11, Sex::Male), 1); // Joko
    // Doses in October: Ani's BCG and OPV1, Joko's MR1; HB0 was in August.
    assert_eq!(count(n, "BCG"), 1);
    assert_eq!(count(n, "OPV1"), 1);
    assert_eq!(count(n, "MR1"), 1);
    assert_eq!(count(n, "HB0"), 0);
    assert_eq!(count(n, "IPV1"), 0);
    // IDL complete in October: Joko (his MR1); nobody completed baduta.
    assert_eq!(count(n, "idl"), 1);
    assert_eq!(count(n, "baduta"), 0);
    // Vitamin A: Joko, 6–11 months, of one such child; none of the four of 12–59.
    assert_eq!(count(n, "s_6_11"), 1);
    assert_eq!(count(n, "vita_6_11"), 1);
    assert_eq!(count(n, "s_12_59"), 4); // Budi, Citra, Eka, Gita
    assert_eq!(count(n, "vita_12_59"), 0);
    assert_eq!(percent(n, "cak_vita_6_11"), Some(100.0));
    assert_eq!(percent(n, "cak_vita_12_59"), Some(0.0));
    assert_eq!(count(n, "obat_cacing"), 1); // Budi (Eka's is "false")
    assert_eq!(count(n, "pmt"), 1); // Eka
    // Pregnant women: Wati only (Rina's ended in September).
    assert_eq!(count(n, "bumil"), 1);
    assert_eq!(count(n, "bumil_dilayani"), 1);
    assert_eq!(count(n, "bumil_kek"), 1);
    assert_eq!(count(n, "bumil_ttd"), 1);
    assert_eq!(count(n, "bumil_anemia"), 0);
    assert_eq!(percent(n, "bumil_cakupan"), Some(100.0));
    // Adults seen: Wati and Rina (Eko was not seen); Rina hypertensive.
    assert_eq!(count(n, "dewasa_dilayani"), 2);
    assert_eq!(count(n, "dewasa_hipertensi"), 1);
    assert_eq!(n.tally("dewasa_dilayani").by_sex, [0, 2]);
    // Lansia: Darto, hypertensive, SKILAS.
    assert_eq!(count(n, "lansia_dilayani"), 1);
    assert_eq!(count(n, "lansia_hipertensi"), 1);
    assert_eq!(count(n, "lansia_skilas"), 1);
    assert_eq!(count(n, "lansia_adl"), 0);
    // School age and adolescents: Dewi, anaemic. Balita are not in these groups.
    assert_eq!(count(n, "remaja_dilayani"), 1);
    assert_eq!(count(n, "remaja_anemia"), 1);
    assert_eq!(n.tally("s").by_sex, [2, 4]); // Budi, Joko; Ani, Citra, Eka, Gita
    // The list behind every count is as long as the count.
    let d = report::monthly::detail(&store, &sys, melati.id, october)
        .await
        .unwrap();
    assert_eq!(d.report, m);
    for i in indicators::ALL.iter().filter(|i| i.is_count()) {
        assert_eq!(d.listed(i.code) as u64, count(n, i.code), "{}", i.code);
    }
    let mut named: Vec<_> = d.persons("underweight");
    named.sort();
    let mut expect = vec![budi.id, eka.id];
    expect.sort();
    assert_eq!(named, expect);
    // A posyandu has no rows below it.
    assert!(m.children.is_empty());

    // The Puskesmas: both villages, each the sum of its posyandu; the whole the sum of both.
    let p = monthly(&store, &sys, r.puskesmas.id, october)
        .await
        .unwrap();
    assert_eq!(count(&p.numbers, "s"), 7);
    assert_eq!(count(&p.numbers, "n"), 2); // Gita, Hadi
    let names: Vec<&str> = p.children.iter().map(|(u, _)| u.name.as_str()).collect();
    assert_eq!(names, ["Tegalrejo", "Bulurejo"]);
    let mut sum = Numbers::default();
    for (_, c) in &p.children {
        sum.add(c);
    }
    assert_eq!(sum, p.numbers);
    assert_eq!(p.children[0].1, m.numbers);

    // The workbook: a sheet per section, and the villages' rows on "Wilayah".
    use calamine::{DataType, Reader, Xlsx};
    let bytes = report::monthly::export::xlsx(&p).unwrap();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let names = book.sheet_names();
    assert_eq!(
        names,
        [
            "SKDN",
            "Status gizi",
            "Imunisasi",
            "Vitamin A, obat cacing, PMT",
            "Ibu hamil",
            "Skrining",
            "Rujukan",
            "Posyandu",
            "Wilayah"
        ]
    );
    let skdn = book.worksheet_range("SKDN").unwrap();
    let s_row = skdn.rows().find(|r| r[1] == "s").unwrap();
    assert_eq!(s_row[3].get_float(), Some(7.0));
    let units = book.worksheet_range("Wilayah").unwrap();
    let tegalrejo = units.rows().find(|r| r[0] == "Tegalrejo").unwrap();
    let s_col = units
        .rows()
        .next()
        .unwrap()
        .iter()
        .position(|h| *h == "s")
        .unwrap();
    assert_eq!(tegalrejo[s_col].get_float(), Some(6.0));

    // Closing October keeps its numbers; a late weighing changes today's numbers only.
    use report::monthly::close::{CloseError, close, closed};
    assert!(matches!(
        close(&store, &sys, &m, date!(2026 - 10 - 31)).await,
        Err(CloseError::NotOver(_))
    ));
    assert!(
        closed(&store, &sys, melati.id, october)
            .await
            .unwrap()
            .is_none()
    );
    let first = close(&store, &sys, &m, date!(2026 - 11 - 05))
        .await
        .unwrap();
    capture(
        &store,
        vec![
            reading(&citra, oct20, Weight, 13.2),
            finding(&citra, oct20, "kms_n"),
        ],
    )
    .await;
    let again = close(&store, &sys, &m, date!(2026 - 11 - 06))
        .await
        .unwrap();
    assert_eq!(again.closed_at, first.closed_at, "the first close is kept");
    let c = closed(&store, &sys, melati.id, october)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.values["d"], Value::Count { n: 4 });
    assert_eq!(c.late.total, 2, "Citra's weighing and its finding");
    let mut late: Vec<_> = c
        .late
        .rows
        .iter()
        .map(|l| (l.table, l.detail.as_str(), l.person_id, l.day, l.deleted))
        .collect();
    late.sort_by_key(|l| l.1.to_owned());
    assert_eq!(
        late,
        vec![
            (
                store::LateTable::Measurement,
                "berat",
                citra.id,
                oct20,
                false
            ),
            (store::LateTable::Finding, "kms_n", citra.id, oct20, false),
        ]
    );
    assert!(c.late.rows.iter().all(|l| l.person_name == citra.name));
    let now = monthly(&store, &sys, melati.id, october).await.unwrap();
    assert_eq!(count(&now.numbers, "d"), 5);
    assert_eq!(count(&now.numbers, "s"), 6, "the rest unchanged");
    // The CSV of the closed month: today's value, then the value as closed.
    let csv = report::monthly::export::table_with_close(&now, Some(&c.values))
        .csv()
        .unwrap();
    let csv = String::from_utf8(csv).unwrap();
    let header = csv.lines().next().unwrap();
    assert!(header.starts_with("bagian,kode,indikator,nilai,pembilang,penyebut,saat ditutup,"));
    let d_row = csv.lines().find(|l| l.contains(",d,D,")).unwrap();
    assert!(d_row.contains(",d,D,5,,,4,,,"), "{d_row}");

    // Reopened with a reason: open again, the close kept among the reopened ones; closing
    // again keeps today's numbers (D 5).
    use report::monthly::close::{reopen, reopened};
    assert!(reopen(&store, &sys, melati.id, october, " ").await.is_err());
    reopen(&store, &sys, melati.id, october, "Citra belum tercatat")
        .await
        .unwrap();
    assert!(
        closed(&store, &sys, melati.id, october)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        reopen(&store, &sys, melati.id, october, "lagi")
            .await
            .is_err()
    );
    let old = reopened(&store, &sys, melati.id, october).await.unwrap();
    assert_eq!(old.len(), 1);
    assert_eq!(old[0].close.closed_at, first.closed_at);
    assert_eq!(old[0].reason, "Citra belum tercatat");
    close(&store, &sys, &now, date!(2026 - 11 - 07))
        .await
        .unwrap();
    let c = closed(&store, &sys, melati.id, october)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(c.values["d"], Value::Count { n: 5 });
    assert_eq!(c.late.total, 0);
    assert!(c.late.rows.is_empty());

    // A kader of Melati sees Melati's month, not the Puskesmas'.
    let kader = fixture::kader(&store, melati, "kader.melati").await;
    let own = monthly(&store, &kader, melati.id, october).await.unwrap();
    assert_eq!(own.numbers, now.numbers);
    assert!(
        monthly(&store, &kader, r.puskesmas.id, october)
            .await
            .is_err()
    );
}
