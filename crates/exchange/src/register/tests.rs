//! Whole-file parsing: separators, decimal commas, errors by line and column, notes.

use time::macros::date;

use super::*;

const TODAY: Date = date!(2026 - 11 - 01);

#[test]
fn semicolon_file_with_decimal_commas_is_read() {
    let text = "\u{feff}NIK;Nama Anak;JK;Tgl Lahir;Nama Ibu;Tgl Ukur;BB;TB;Cara Ukur;LiLA\n\
                3508015002240001;Siti Aminah;P;10/02/2024;Hosnah;05/01/2025;8,4;71,5;telentang;13,9\n\
                ;Rafa Alfarizi;L;2023-06-01;Sri Wahyuni;2025-01-05;11,2;82;;\n";
    let f = parse(text, TODAY).unwrap_or_default();
    assert_eq!(f.errors, vec![]);
    assert_eq!(f.rows.len(), 2);
    assert_eq!(f.lines_read, 2);
    let w = f.rows[0]
        .weighing
        .clone()
        .unwrap_or_else(|| panic!("no weighing"));
    assert_eq!(w.weight_kg.map(|v| v.value), Some(8.4));
    assert_eq!(w.length_cm.map(|v| v.value), Some(71.5));
    assert_eq!(w.arm_circ_cm.map(|v| v.value), Some(13.9));
    // No method given at 19 months: lying by default.
    let w2 = f.rows[1]
        .weighing
        .clone()
        .unwrap_or_else(|| panic!("no weighing"));
    assert_eq!(w2.method, growth::Measure::Lying);
    assert!(f.rows[1].person.nik.is_none());
}

#[test]
fn bad_rows_are_reported_with_line_column_and_value() {
    let text = "nama,jk,tgl_lahir,tgl_ukur,berat,tinggi\n\
                Ayu Lestari,P,01/03/2024,05/01/2025,\"8,1\",70\n\
                ,X,31/02/2024,05/01/2025,abc,70\n\
                Dimas Prasetyo,L,01/03/2024,,9.0,\n\
                Bayu,L,01/03/2030,05/01/2025,9,72\n";
    let f = parse(text, TODAY).unwrap_or_default();
    assert_eq!(f.rows.len(), 1);
    let at = |line: u64, field: &str| {
        f.errors
            .iter()
            .find(|e| e.line == line && e.field == field)
            .cloned()
    };
    assert!(at(3, "nama").is_some());
    assert_eq!(at(3, "jk").map(|e| e.value), Some("X".to_owned()));
    assert_eq!(
        at(3, "tgl_lahir").map(|e| e.value),
        Some("31/02/2024".to_owned())
    );
    assert_eq!(
        at(3, "berat").map(|e| e.reason),
        Some("bukan angka".to_owned())
    );
    assert!(at(4, "tgl_ukur").is_some_and(|e| e.reason.contains("wajib")));
    assert!(at(5, "tgl_lahir").is_some_and(|e| e.reason.contains("masa depan")));
    let shown = at(3, "jk").map(|e| e.to_string()).unwrap_or_default();
    assert_eq!(
        shown,
        "baris 3, kolom jk = 'X': isi L (laki-laki) atau P (perempuan)"
    );
}

#[test]
fn nik_errors_never_echo_the_full_number() {
    let text = "nik,nama,jk,tgl_lahir\n35080150022400019,Siti,P,10/02/2024\n";
    let f = parse(text, TODAY).unwrap_or_default();
    assert_eq!(f.errors.len(), 1);
    assert_eq!(f.errors[0].field, "nik");
    assert!(!f.errors[0].value.contains("3508015002240001"));
    assert!(f.errors[0].value.ends_with("0019"));
}

#[test]
fn implausible_weight_is_kept_and_flagged() {
    let text = "nama,jk,tgl_lahir,tgl_ukur,berat,tinggi\nAyu,P,01/03/2024,01/03/2025,96,74\n";
    let f = parse(text, TODAY).unwrap_or_default();
    assert_eq!(f.errors, vec![]);
    let w = f.rows[0]
        .weighing
        .clone()
        .unwrap_or_else(|| panic!("no weighing"));
    assert_eq!(
        w.weight_kg,
        Some(Value {
            value: 96.0,
            implausible: true
        })
    );
    assert_eq!(w.length_cm.map(|v| v.implausible), Some(false));
    assert!(f.notes.iter().any(|n| n.line == 2 && n.field == "berat"));
}

#[test]
fn impossible_values_are_errors_not_flags() {
    let text = "nama,jk,tgl_lahir,tgl_ukur,berat\nAyu,P,01/03/2024,01/03/2025,840\n";
    let f = parse(text, TODAY).unwrap_or_default();
    assert!(f.rows.is_empty());
    assert_eq!(f.errors[0].field, "berat");
}

#[test]
fn contradicting_rows_for_one_nik_and_duplicate_dates_are_refused() {
    let text = "nik,nama,jk,tgl_lahir,tgl_ukur,berat\n\
                3508015002240001,Siti,P,10/02/2024,05/01/2025,8.0\n\
                3508015002240001,Siti,P,10/02/2024,05/02/2025,8.3\n\
                3508015002240001,Siti,P,11/02/2024,05/03/2025,8.5\n\
                3508015002240001,Siti,P,10/02/2024,05/02/2025,8.4\n";
    let f = parse(text, TODAY).unwrap_or_default();
    assert_eq!(f.rows.len(), 2);
    assert_eq!(
        f.errors.iter().map(|e| e.line).collect::<Vec<_>>(),
        vec![4, 5]
    );
}

#[test]
fn missing_required_columns_stop_the_file() {
    assert_eq!(
        parse("nama,berat\nA,1\n", TODAY),
        Err(FileError::MissingColumns(vec!["jk", "tgl_lahir"]))
    );
    assert_eq!(parse("  \n", TODAY), Err(FileError::Empty));
}

#[test]
fn delimiter_is_detected_from_the_header() {
    assert_eq!(detect_delimiter("a;b;c\n1,2;3"), b';');
    assert_eq!(detect_delimiter("a,b,c"), b',');
    assert_eq!(detect_delimiter("a\tb\tc"), b'\t');
}

#[test]
fn crlf_tabs_quotes_and_blank_lines_are_handled() {
    let text = "nama\tjk\ttgl_lahir\ttgl_ukur\tberat\r\n\
                \"Putri, Ayu\"\tP\t01/03/2024\t05/01/2025\t8,1\r\n\
                \r\n\
                Bayu\tL\t01/04/2024\t05/01/2025\tx\r\n";
    let f = parse(text, TODAY).unwrap_or_default();
    assert_eq!(f.rows.len(), 1);
    assert_eq!(f.rows[0].person.name, "Putri, Ayu");
    assert_eq!(f.lines_read, 2);
    assert_eq!(f.errors.len(), 1);
    assert_eq!((f.errors[0].line, f.errors[0].field), (4, "berat"));
}

mod properties {
    use super::super::values::{date, decimal, method, sex};
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn decimal_comma_and_point_read_the_same(x in 0.0f64..1000.0) {
            let s = format!("{x:.2}");
            prop_assert_eq!(decimal(&s), decimal(&s.replace('.', ",")));
        }

        #[test]
        fn iso_and_day_first_dates_agree(y in 1900i32..2100, m in 1u8..=12, d in 1u8..=28) {
            let iso = date(&format!("{y:04}-{m:02}-{d:02}"));
            prop_assert!(iso.is_ok());
            prop_assert_eq!(iso, date(&format!("{d:02}/{m:02}/{y:04}")));
        }

        #[test]
        fn no_cell_makes_a_parser_panic(s in "\\PC{0,20}") {
            let _ = (decimal(&s), date(&s), sex(&s), method(&s));
        }

        #[test]
        fn no_file_makes_parse_panic(body in "[a-z0-9;,./\\-\" \\n\\r]{0,200}") {
            let text = format!("nama;jk;tgl_lahir;tgl_ukur;berat;tinggi\n{body}");
            if let Ok(f) = parse(&text, TODAY) {
                // Every data line is either stored or reported, never lost.
                let stored: std::collections::BTreeSet<u64> = f.rows.iter().map(|r| r.line).collect();
                for e in &f.errors {
                    prop_assert!(!stored.contains(&e.line));
                }
                let reported: std::collections::BTreeSet<u64> = f.errors.iter().map(|e| e.line).collect();
                prop_assert_eq!(stored.len() + reported.len(), f.lines_read as usize);
            }
        }
    }
}

#[test]
fn the_same_weighing_twice_is_kept_once_another_value_is_a_conflict() {
    let text = "nama,jk,tgl_lahir,tgl_ukur,berat,tinggi\n\
                Ayu Lestari,P,01/03/2024,05/01/2025,8.1,70\n\
                Ayu Lestari,P,01/03/2024,05/01/2025,\"8,1\",70.0\n\
                Ayu Lestari,P,01/03/2024,05/01/2025,8.4,70\n\
                Ayu Lestari,P,01/03/2024,05/01/2025,8.1,\n";
    let f = parse(text, TODAY).unwrap_or_default();
    // Lines 2 and 3 say the same: both pass (the store keeps one). Line 4 gives another
    // weight, line 5 leaves out the length line 2 has: conflicts, never a second value.
    assert_eq!(f.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3]);
    let conflicts: Vec<(u64, &str, &str)> = f
        .errors
        .iter()
        .map(|e| (e.line, e.field, e.value.as_str()))
        .collect();
    assert_eq!(conflicts, [(4, "berat", "8.4"), (5, "tinggi", "kosong")]);
    assert!(
        f.errors[0]
            .reason
            .contains("bertentangan dengan baris 2 (berat = 8.1")
    );
}

#[test]
fn flags_follow_the_person_given_not_the_row() {
    let text = "nama,jk,tgl_lahir,tgl_ukur,berat\nBima,L,01/01/2020,05/01/2025,20\n";
    let f = parse(text, TODAY).unwrap_or_default();
    let w = f.rows[0]
        .weighing
        .clone()
        .unwrap_or_else(|| panic!("no weighing"));
    assert_eq!(w.weight_kg.map(|v| v.implausible), Some(false));
    // 20 kg is implausible for a girl of ten months (the z of 7.94).
    let stored = row::reflag(&w, store::model::Sex::Female, date!(2024 - 02 - 26));
    assert_eq!(stored.weight_kg.map(|v| v.implausible), Some(true));
    assert_eq!(stored.weight_kg.map(|v| v.value), Some(20.0));
}
