//! `posyandu zscore` on awkward input: CR-only line ends, `NaN`, zero and negative
//! measurements, absurd ages, a `standard` outside its ages. WHO's numbers stay as WHO's
//! algorithm gives them (checked against the `growth` crate); each odd value is named in
//! the row's `error` column.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use growth::{Age, ChildMeasurements, Sex, who2006};
use std::collections::HashMap;
use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `posyandu zscore [args]` with `input` on stdin; returns the rows as maps.
fn zscore(input: &[u8], args: &[&str]) -> Vec<HashMap<String, String>> {
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
    let header = out.stdout.split(|&b| b == b'\n').next().unwrap_or_default();
    let delimiter = if header.contains(&b';') { b';' } else { b',' };
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(out.stdout.as_slice());
    let h = rdr.headers().unwrap().clone();
    rdr.records()
        .map(|r| {
            h.iter()
                .map(String::from)
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

fn z(x: Option<growth::Zscore>) -> String {
    // `+ 0.0` turns a rounded −0 into 0, as the CSV writes it.
    x.map(|s| (s.z + 0.0).to_string()).unwrap_or_default()
}

#[test]
fn cr_only_line_ends_are_read_like_lf() {
    let lf = "nama,sex,age_days,weight_kg,lenhei_cm\nAni,2,400,9.1,75\nBudi,1,500,10.2,79\n\nCitra,2,30,4.1,53\n";
    let cr = lf.replace('\n', "\r");
    let want = zscore(lf.as_bytes(), &[]);
    let got = zscore(cr.as_bytes(), &[]);
    assert_eq!(want.len(), 3);
    assert_eq!(got, want, "same rows, same numbers");
    let w = who2006(&ChildMeasurements {
        sex: Some(Sex::Female),
        age: Some(Age::Days(400.0)),
        weight_kg: Some(9.1),
        lenhei_cm: Some(75.0),
        ..Default::default()
    });
    assert_eq!(got[0]["zwei"], z(w.zwei));
    // With a byte order mark and `;` as Excel for Mac writes it.
    let excel = format!("\u{feff}{}", cr.replace(',', ";").replace("9.1", "9,1"));
    let got = zscore(excel.as_bytes(), &[]);
    assert_eq!(got.len(), 3);
    assert_eq!(got[0]["nama"], "Ani");
    assert_eq!(got[0]["zwei"], z(w.zwei).replace('.', ","));
}

#[test]
fn nan_is_named_not_taken_silently_as_blank() {
    let input = "sex,age_days,weight_kg,lenhei_cm\n1,400,NaN,75\n1,400,nan,75\n1,400,NA,75\n";
    let rows = zscore(input.as_bytes(), &[]);
    assert_eq!(rows[0]["error"], "weight_kg: \"NaN\" bukan angka");
    assert_eq!(rows[1]["error"], "weight_kg: \"nan\" bukan angka");
    assert_eq!(rows[2]["error"], "", "NA is R's own 'not recorded'");
    for r in &rows {
        assert_eq!(r["zwei"], "", "no weight, no weight-for-age");
        assert!(!r["zlen"].is_empty(), "length-for-age still computed");
    }
}

#[test]
fn zero_and_negative_measurements_are_named_and_whos_numbers_kept() {
    let input = "sex,age_days,weight_kg,lenhei_cm,headc_cm,armc_cm,triskin_mm,subskin_mm\n\
                 1,400,0,75,-4.1,14,0,5\n\
                 2,300,-3,70,44,0,7,-1\n\
                 1,400,9,0,45,14,8,6\n";
    let rows = zscore(input.as_bytes(), &["--lang", "en"]);
    assert_eq!(
        rows[0]["error"],
        "weight_kg: \"0\" must be more than 0; headc_cm: \"-4.1\" must be more than 0; \
         triskin_mm: \"0\" must be more than 0"
    );
    assert_eq!(
        rows[1]["error"],
        "weight_kg: \"-3\" must be more than 0; armc_cm: \"0\" must be more than 0; \
         subskin_mm: \"-1\" must be more than 0"
    );
    assert_eq!(rows[2]["error"], "lenhei_cm: \"0\" must be more than 0");
    // The z columns are exactly what WHO's algorithm gives for these values.
    let cases = [
        (Sex::Male, 400.0, 0.0, 75.0, -4.1, 14.0, 0.0, 5.0),
        (Sex::Female, 300.0, -3.0, 70.0, 44.0, 0.0, 7.0, -1.0),
        (Sex::Male, 400.0, 9.0, 0.0, 45.0, 14.0, 8.0, 6.0),
    ];
    for (row, (sex, age, w, l, hc, ac, ts, ss)) in rows.iter().zip(cases) {
        let r = who2006(&ChildMeasurements {
            sex: Some(sex),
            age: Some(Age::Days(age)),
            weight_kg: Some(w),
            lenhei_cm: Some(l),
            headc_cm: Some(hc),
            armc_cm: Some(ac),
            triskin_mm: Some(ts),
            subskin_mm: Some(ss),
            ..Default::default()
        });
        for (col, want) in [
            ("zlen", r.zlen),
            ("zwei", r.zwei),
            ("zwfl", r.zwfl),
            ("zbmi", r.zbmi),
            ("zhc", r.zhc),
            ("zac", r.zac),
            ("zts", r.zts),
            ("zss", r.zss),
        ] {
            let want = match want {
                Some(s) if s.z.is_infinite() => if s.z > 0.0 { "Inf" } else { "-Inf" }.to_string(),
                other => z(other),
            };
            assert_eq!(row[col], want, "{col}");
        }
    }
    // Weight zero: weight-for-length is still computed, as WHO does.
    assert!(!rows[0]["zwfl"].is_empty());
}

#[test]
fn absurd_ages_are_named() {
    let input = "sex,age_days,weight_kg\n1,1e15,9\n1,1e400,9\n1,7000,60\n1,6900,60\n";
    let rows = zscore(input.as_bytes(), &[]);
    for (r, v) in rows.iter().zip(["1e15", "1e400", "7000"]) {
        assert_eq!(
            r["error"],
            format!(
                "age_days: \"{v}\" di atas 228 bulan (19 tahun), batas rujukan WHO: z menurut umur tidak dihitung"
            )
        );
        assert_eq!(r["zwfa"], "");
        assert_eq!(r["zbfa"], "");
    }
    assert_eq!(rows[3]["error"], "", "226.7 months: within WHO 2007");
    let rows = zscore(b"sex,age_months,weight_kg\n2,229,50\n", &["--lang", "en"]);
    assert_eq!(
        rows[0]["error"],
        "age_months: \"229\" is over 228 months (19 years), the end of WHO's references: no age-based z"
    );
}

#[test]
fn a_standard_outside_its_ages_is_named() {
    let input = "standard,sex,age_days,age_months,weight_kg,lenhei_cm\n\
                 who2006,1,2085,,20,115\n\
                 who2007,1,,59.5,18,108\n\
                 who2007,2,,229,50,160\n\
                 who2006,1,1826,,18,110\n\
                 who2007,1,,60,18,110\n";
    let rows = zscore(input.as_bytes(), &[]);
    assert_eq!(
        rows[0]["error"],
        "standard: \"who2006\" hanya untuk umur di bawah 60 bulan, tetapi age_days \"2085\" = 68,5 bulan: z tidak dihitung"
    );
    assert_eq!(
        rows[1]["error"],
        "standard: \"who2007\" hanya untuk umur 60–228 bulan, tetapi age_months \"59.5\" = 59,5 bulan: z tidak dihitung"
    );
    assert!(rows[2]["error"].starts_with("standard: \"who2007\" hanya untuk umur 60–228 bulan"));
    for r in &rows[..3] {
        for k in ["zlen", "zwei", "zwfl", "zhfa", "zwfa", "zbfa"] {
            assert_eq!(r[k], "", "{k}: WHO computes nothing here");
        }
    }
    assert_eq!(rows[3]["error"], "");
    assert!(!rows[3]["zlen"].is_empty());
    assert_eq!(rows[4]["error"], "");
    assert!(!rows[4]["zhfa"].is_empty());
    let rows = zscore(
        b"standard,sex,age_days,weight_kg\nwho2006,1,2085,20\n",
        &["--lang", "en"],
    );
    assert_eq!(
        rows[0]["error"],
        "standard: \"who2006\" is only for ages under 60 months, but age_days \"2085\" is 68.5 months: no z computed"
    );
}
