//! `demo::register_import::parse` on any text: it answers (rows or a file error), and what
//! it answers is consistent: rows in file order on real data lines, no future birth, no
//! weighing before birth or after today, measurements positive and finite.
#![no_main]

use libfuzzer_sys::fuzz_target;
use time::macros::date;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let today = date!(2025 - 06 - 30);
    let Ok(file) = demo::register_import::parse(&text, today) else {
        return;
    };
    // Line ends as the parser counts them: LF, CRLF or a lone CR.
    let b = text.as_bytes();
    let lines = 1
        + (0..b.len())
            .filter(|&i| b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n')))
            .count() as u64;
    assert!(file.rows.len() as u64 <= file.lines_read);
    assert!(file.lines_read < lines.max(1));
    let mut last = 1;
    for r in &file.rows {
        assert!(
            r.line > last && r.line <= lines,
            "row line {} of {lines}",
            r.line
        );
        last = r.line;
        let p = &r.person;
        assert!(p.birth_date <= today, "future birth {}", p.birth_date);
        assert!(!p.name.trim().is_empty(), "empty name on line {}", r.line);
        if let Some(w) = &r.weighing {
            assert!(
                w.date >= p.birth_date && w.date <= today,
                "weighing {}",
                w.date
            );
            for v in [&w.weight_kg, &w.length_cm, &w.arm_circ_cm, &w.head_circ_cm]
                .into_iter()
                .flatten()
            {
                assert!(v.value.is_finite() && v.value > 0.0, "value {}", v.value);
            }
        }
    }
    for e in &file.errors {
        assert!(
            e.line > 1 && e.line <= lines,
            "error line {} of {lines}",
            e.line
        );
        assert!(!e.reason.is_empty());
    }
});
