//! `posyandu zscore` reads a cadre's register as it is (the headers `import` reads and the
//! e-PPGBM export's), and scores it exactly as the same data in WHO's columns.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use growth::{Age, ChildMeasurements, Measure, Sex, who2006};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use time::{Date, Month};

type Row = HashMap<String, String>;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// `posyandu zscore` on `input` (stdin), its rows as maps keyed by header.
fn zscore(input: &[u8], args: &[&str]) -> (Vec<String>, Vec<Row>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_posyandu"))
        .arg("zscore")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    read(&out.stdout)
}

fn read(csv_text: &[u8]) -> (Vec<String>, Vec<Row>) {
    let delimiter = if csv_text
        .split(|&b| b == b'\n')
        .next()
        .unwrap()
        .contains(&b';')
    {
        b';'
    } else {
        b','
    };
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(csv_text);
    let h: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    let rows = rdr
        .records()
        .map(|r| {
            h.iter()
                .cloned()
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect();
    (h, rows)
}

/// A date as registers write it, read here independently of the program: `HH/BB/TTTT` or
/// ISO `TTTT-BB-HH`.
fn date(s: &str) -> Option<Date> {
    let p: Vec<&str> = s.split(['/', '-']).collect();
    let (y, m, d) = if p.first()?.len() == 4 {
        (p[0], p[1], p[2])
    } else {
        (*p.get(2)?, p[1], p[0])
    };
    let month = Month::try_from(m.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
}

/// The register's columns rewritten as WHO's (sex 1/2, age in days from the two dates,
/// measure l/h), with the same separator and the cells' own digits.
fn as_who_columns(path: &Path) -> Vec<u8> {
    let text = std::fs::read(path).unwrap();
    let (header, rows) = read(&text);
    let delimiter = if text.contains(&b';') { b';' } else { b',' };
    let find = |names: &[&str]| {
        header
            .iter()
            .find(|h| names.contains(&h.to_lowercase().as_str()))
            .cloned()
    };
    let col = |names: &[&str]| find(names).unwrap_or_default();
    let (sex, born, measured) = (
        col(&["jk"]),
        col(&["tgl lahir", "tgl_lahir"]),
        col(&["tgl ukur", "tgl_ukur"]),
    );
    let (weight, height, method) = (
        col(&["bb", "berat"]),
        col(&["tb", "tinggi"]),
        col(&["cara ukur"]),
    );
    let (arm, head) = (col(&["lila"]), col(&["lk"]));
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(Vec::new());
    w.write_record([
        "sex",
        "age_days",
        "weight_kg",
        "lenhei_cm",
        "measure",
        "armc_cm",
        "headc_cm",
    ])
    .unwrap();
    let get = |r: &Row, c: &str| r.get(c).cloned().unwrap_or_default();
    for r in &rows {
        let age = match (date(&get(r, &born)), date(&get(r, &measured))) {
            (Some(b), Some(m)) => (m - b).whole_days().to_string(),
            _ => String::new(),
        };
        let sex = match get(r, &sex).as_str() {
            "L" => "1".to_string(),
            "P" => "2".to_string(),
            other => other.to_string(),
        };
        let measure = match get(r, &method).to_lowercase().as_str() {
            "telentang" => "l",
            "berdiri" => "h",
            _ => "",
        };
        w.write_record([
            sex,
            age,
            get(r, &weight),
            get(r, &height),
            measure.to_string(),
            get(r, &arm),
            get(r, &head),
        ])
        .unwrap();
    }
    w.into_inner().unwrap()
}

/// Every computed column, in order (the columns `zscore` appends).
const COMPUTED: [&str; 26] = posyandu::zscore::OUTPUT;

fn scored_like_who_columns(name: &str) -> Vec<Row> {
    let path = fixture(name);
    let (header, got) = zscore(&std::fs::read(&path).unwrap(), &[]);
    let (_, want) = zscore(&as_who_columns(&path), &[]);
    assert_eq!(got.len(), want.len(), "one row per register row");
    assert!(
        header.len() > COMPUTED.len() + 1 && header.last().map(String::as_str) == Some("error")
    );
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        for c in COMPUTED {
            assert_eq!(g[c], w[c], "{name} row {} column {c}", i + 1);
        }
    }
    assert!(
        got.iter().filter(|r| !r["zwei"].is_empty()).count() >= got.len() / 2,
        "most rows are scored"
    );
    got
}

#[test]
fn a_mixed_register_is_scored_as_its_who_columns() {
    let got = scored_like_who_columns("register_campuran.csv");
    // The register's own columns pass through untouched.
    assert_eq!(got[0]["Nama Anak"], "Siti Aminah");
    assert_eq!(got[0]["BB"], "8,1");
    assert_eq!(got[0]["error"], "");
    // Bad cells are named with the register's own headers and values.
    assert_eq!(
        got[8]["error"],
        "Tgl Lahir: \"31/02/2024\" tanggal 31 tidak ada di bulan 2 tahun 2024"
    );
    assert!(
        got[9]["error"].starts_with("JK: \"X\" tidak dikenal"),
        "{}",
        got[9]["error"]
    );
    assert_eq!(got[10]["error"], "BB: \"delapan\" bukan angka");
    // Berdiri (standing) at 766 days: no adjustment, the height used as measured.
    assert_eq!(got[7]["cmeasure"], "h");
    assert_eq!(got[7]["clenhei"], "86", "as WHO prints it (%.15g)");
}

#[test]
fn a_comma_register_with_iso_dates_is_scored_as_its_who_columns() {
    let got = scored_like_who_columns("register_posyandu.csv");
    assert!(got.iter().all(|r| r["error"].is_empty()));
}

#[test]
fn an_e_ppgbm_export_is_scored_with_age_from_its_dates() {
    let header = "NIK;Nama;JK;Tgl Lahir;BB Lahir;TB Lahir;Nama Ortu;Prov;Kab/Kota;Kec;Pukesmas;\
                  Desa/Kel;Posyandu;RT;RW;Alamat;Usia Saat Ukur;Tanggal Pengukuran;\
                  Bulan Pengukuran;Berat;Tinggi;Cara Ukur;LiLA;BB/U;ZS BB/U;TB/U;ZS TB/U;BB/TB;\
                  ZS BB/TB;Naik Berat Badan;PMT Diterima (kg);Jml Vit A;KPSP;KIA";
    let row = "3508020201230005;Bima Saputro;L;02/01/2023;3,1;49;Lestari;JAWA TIMUR;LUMAJANG;\
               TEMPEH;TEMPEH;PANDANWANGI;Cempaka;004;002;Dusun Gunungsari;\
               2 Tahun - 1 Bulan - 4 Hari;06/02/2025;Februari;12,1;86,0;Berdiri;14,2;Normal;\
               -0,5;Normal;-1,2;Gizi Baik;0,3;N;0;1;Sesuai;Ya";
    let row2 = "3508014503240001;Siti Aminah;P;2024-03-05;2,9;48;Hosnah;JAWA TIMUR;LUMAJANG;\
                TEMPEH;TEMPEH;PANDANWANGI;Melati;001;002;Dusun Krajan;0 Tahun - 10 Bulan - 0 Hari;\
                2025-01-05;Januari;8,1;70,2;Telentang;;Normal;;;;;;;;;;";
    let input = format!("{header}\n{row}\n{row2}\n");
    let (_, rows) = zscore(input.as_bytes(), &[]);
    let days = |b: (i32, Month, u8), m: (i32, Month, u8)| {
        let b = Date::from_calendar_date(b.0, b.1, b.2).unwrap();
        let m = Date::from_calendar_date(m.0, m.1, m.2).unwrap();
        (m - b).whole_days() as f64
    };
    let want = [
        who2006(&ChildMeasurements {
            sex: Some(Sex::Male),
            age: Some(Age::Days(days(
                (2023, Month::January, 2),
                (2025, Month::February, 6),
            ))),
            weight_kg: Some(12.1),
            lenhei_cm: Some(86.0),
            measure: Some(Measure::Standing),
            armc_cm: Some(14.2),
            ..Default::default()
        }),
        who2006(&ChildMeasurements {
            sex: Some(Sex::Female),
            age: Some(Age::Days(days(
                (2024, Month::March, 5),
                (2025, Month::January, 5),
            ))),
            weight_kg: Some(8.1),
            lenhei_cm: Some(70.2),
            measure: Some(Measure::Lying),
            ..Default::default()
        }),
    ];
    let text = |x: Option<growth::Zscore>| {
        x.map(|s| (s.z + 0.0).to_string().replace('.', ","))
            .unwrap_or_default()
    };
    for (r, w) in rows.iter().zip(&want) {
        assert_eq!(r["error"], "");
        assert_eq!(r["zwei"], text(w.zwei), "Berat, not BB Lahir");
        assert_eq!(r["zlen"], text(w.zlen), "Tinggi with Cara Ukur");
        assert_eq!(r["zwfl"], text(w.zwfl));
        assert_eq!(r["zac"], text(w.zac));
        assert!(!r["zwei"].is_empty());
        // e-PPGBM's own z columns pass through untouched.
        assert!(r.contains_key("ZS BB/U"));
    }
    assert_eq!(rows[0]["ZS BB/U"], "-0,5");
}

#[test]
fn a_register_without_dates_or_age_is_refused_naming_both_vocabularies() {
    let (out, err) = {
        let mut child = Command::new(env!("CARGO_BIN_EXE_posyandu"))
            .args(["zscore"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(b"nama,jk,tgl_lahir,berat\nAni,P,01/02/2024,8\n")
            .unwrap();
        let o = child.wait_with_output().unwrap();
        (o.status, String::from_utf8(o.stderr).unwrap())
    };
    assert_eq!(out.code(), Some(1));
    assert!(
        err.contains("age_days atau age_months") && err.contains("tgl_lahir dan tgl_ukur"),
        "{err}"
    );
    assert!(!err.contains("sex"), "jk is the sex column: {err}");
}
