#![allow(clippy::unwrap_used)]

use domain::growth_chart::{ChartKind, Mark, Observation, growth_chart};
use domain::visit::Sex;
use time::macros::date;

use super::*;
use crate::i18n::{Lang, Tr};

fn parse(text: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("not XML: {e}\n{text}"))
}

fn by_class<'a>(doc: &'a roxmltree::Document, class: &str) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.descendants()
        .filter(|n| {
            n.attribute("class")
                .is_some_and(|c| c.split(' ').any(|w| w == class))
        })
        .collect()
}

fn num_attr(n: &roxmltree::Node, name: &str) -> f64 {
    n.attribute(name).unwrap().parse().unwrap()
}

/// A boy's first KMS page with four weighings, drawn in Bahasa Indonesia, parsed back.
#[test]
fn the_kms_svg_has_its_structure_and_points_where_they_belong() {
    let obs = [
        Observation {
            x: 1.0,
            y: 4.5,
            mark: Mark::B,
        },
        Observation {
            x: 2.0,
            y: 5.6,
            mark: Mark::N,
        },
        Observation {
            x: 3.0,
            y: 5.6,
            mark: Mark::T,
        },
        Observation {
            x: 12.0,
            y: 6.5,
            mark: Mark::Bgm,
        },
    ];
    let chart = growth_chart(ChartKind::WeightForAge0To24, Sex::Male, &obs).unwrap();
    let l = labels(Tr::new(Lang::Id), &chart, "Budi <\"Bagus\"> & Co");
    let text = svg(&chart, &l, Style::default());
    let doc = parse(&text);
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    let vb: Vec<f64> = root
        .attribute("viewBox")
        .unwrap()
        .split(' ')
        .map(|v| v.parse().unwrap())
        .collect();
    assert_eq!(&vb[..3], &[0.0, 0.0, 360.0]);
    assert_eq!(root.attribute("role"), Some("img"));
    let title = doc.descendants().find(|n| n.has_tag_name("title")).unwrap();
    assert_eq!(
        title.text(),
        Some("KMS berat badan menurut umur, 0–24 bulan: Budi <\"Bagus\"> & Co (laki-laki)")
    );
    for id in root.attribute("aria-labelledby").unwrap().split(' ') {
        assert!(
            doc.descendants().any(|n| n.attribute("id") == Some(id)),
            "{id}"
        );
    }
    let desc = doc.descendants().find(|n| n.has_tag_name("desc")).unwrap();
    assert_eq!(
        desc.text(),
        Some("Terakhir: 12 bln, 6,5 kg (berat badan sangat kurang)")
    );

    let lines = by_class(&doc, "z-line");
    assert_eq!(lines.len(), 5, "−3 (red), −2, 0, +1 (orange), +2");
    let z: Vec<&str> = lines
        .iter()
        .map(|n| n.attribute("data-z").unwrap())
        .collect();
    assert_eq!(z, ["-3", "-2", "0", "1", "2"]);
    assert_eq!(lines[0].attribute("stroke"), Some(RED));
    assert_eq!(lines[3].attribute("stroke"), Some(ORANGE));

    // Marks by shape and class, at the chart's coordinates: x 12 of 0–24 is the middle.
    let marks = by_class(&doc, "mark");
    let plotted: Vec<_> = marks
        .iter()
        .filter(|n| n.ancestors().any(|a| a.attribute("class") == Some("point")))
        .collect();
    assert_eq!(plotted.len(), 4);
    let kinds: Vec<(&str, &str)> = plotted
        .iter()
        .map(|n| (n.tag_name().name(), n.attribute("class").unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("circle", "mark b"),
            ("circle", "mark n"),
            ("path", "mark t"),
            ("path", "mark bgm")
        ]
    );
    let n = plotted[1];
    let f = Frame { chart: &chart };
    assert!((num_attr(n, "cx") - f.x(2.0)).abs() < 0.06);
    assert!((num_attr(n, "cy") - f.y(5.6)).abs() < 0.06);
    assert!((f.x(12.0) - (LEFT + RIGHT) / 2.0).abs() < 1e-9);
    let bgm = plotted[3].attribute("d").unwrap();
    assert!(
        bgm.starts_with(&format!("M{} {}", c(f.x(12.0)), c(f.y(6.5)))),
        "{bgm}"
    );
    // The B weighing starts the line; the other three are joined.
    let child = by_class(&doc, "child");
    assert_eq!(child.len(), 1);
    assert_eq!(child[0].attribute("points").unwrap().split(' ').count(), 4);
    // Each point says what it is for a screen reader and a tooltip.
    let tips: Vec<&str> = by_class(&doc, "point")
        .iter()
        .map(|g| g.first_element_child().unwrap().text().unwrap())
        .collect();
    assert_eq!(tips[1], "2 bln: 5,6 kg — N: naik");
    // The legend names every mark and both KMS lines.
    let legend = by_class(&doc, "legend")[0];
    let words: Vec<&str> = legend
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    for w in [
        "N: naik",
        "T: tidak naik",
        "BGM: bawah garis merah",
        "Garis merah (−3 SD)",
    ] {
        assert!(words.contains(&w), "{w} in {words:?}");
    }
    assert!(
        by_class(&doc, "band").is_empty(),
        "no bands on the 2021 KMS"
    );
}

/// Every kind, both sexes, both languages, with and without tints: well-formed, one
/// polyline per SD line, axis words in the right language, the off-scale point dashed.
#[test]
fn every_chart_renders_in_both_languages() {
    for kind in ChartKind::ALL {
        let (lo, hi) = kind.x_range();
        let mid = (lo + hi) / 2.0;
        let obs = [
            Observation {
                x: mid,
                y: 1000.0,
                mark: Mark::None,
            },
            Observation {
                x: hi + 1.0,
                y: 10.0,
                mark: Mark::None,
            },
        ];
        for sex in [Sex::Male, Sex::Female] {
            let chart = growth_chart(kind, sex, &obs).unwrap();
            for lang in [Lang::Id, Lang::En] {
                let l = labels(Tr::new(lang), &chart, "Sari");
                assert!(!l.left_out.is_empty());
                for tint in [false, true] {
                    let text = svg(&chart, &l, Style { tint_bands: tint });
                    let doc = parse(&text);
                    assert_eq!(by_class(&doc, "z-line").len(), chart.lines.len());
                    assert_eq!(
                        by_class(&doc, "band").len(),
                        if tint { chart.bands.len() } else { 0 }
                    );
                    let off = by_class(&doc, "mark")
                        .into_iter()
                        .find(|n| n.parent().and_then(|p| p.attribute("class")) == Some("point"))
                        .unwrap();
                    assert!(off.attribute("stroke-dasharray").is_some(), "{kind:?}");
                    assert!(text.contains(&esc(&l.x_axis)), "{kind:?} {lang:?}");
                    let frame = doc.root_element().first_element_child();
                    assert!(frame.is_some());
                    assert!(text.contains(sex_colour(sex)));
                }
            }
        }
    }
}

#[test]
fn labels_are_translated_and_numbers_use_the_language_s_separator() {
    let chart = growth_chart(ChartKind::WeightForLength, Sex::Female, &[]).unwrap();
    let id = labels(Tr::new(Lang::Id), &chart, "Ani");
    let en = labels(Tr::new(Lang::En), &chart, "Ani");
    assert_eq!(id.x_axis, "Panjang badan (cm)");
    assert_eq!(en.x_axis, "Length (cm)");
    assert_eq!(
        id.meaning(domain::growth_chart::Meaning::SevereWasting),
        "gizi buruk"
    );
    assert_eq!(x_text(&chart, &id, 75.5), "75,5 cm");
    assert_eq!(x_text(&chart, &en, 75.5), "75.5 cm");
    assert_eq!(signed(-3.0), "−3");
    assert_eq!(signed(1.0), "+1");
    let bmi = growth_chart(ChartKind::BmiForAge5To19, Sex::Male, &[]).unwrap();
    let l = labels(Tr::new(Lang::Id), &bmi, "Ani");
    assert_eq!(x_text(&bmi, &l, 123.4), "10 th 3 bln");
    let doc_text = svg(&bmi, &l, Style::default());
    let doc = parse(&doc_text);
    let desc = doc.descendants().find(|n| n.has_tag_name("desc")).unwrap();
    assert_eq!(desc.text(), Some("Belum ada ukuran pada grafik ini."));
}

/// Writes example charts to `browser/out/chart-*.svg` for a look in a browser:
/// `cargo test -p web chart::tests::write_examples -- --ignored`.
#[test]
#[ignore = "writes files for a person to look at"]
fn write_examples() {
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../browser/out");
    std::fs::create_dir_all(&out).unwrap();
    let birth = date!(2025 - 01 - 10);
    let weigh = [
        (date!(2025 - 01 - 10), 3.3, Mark::B),
        (date!(2025 - 02 - 12), 4.4, Mark::N),
        (date!(2025 - 03 - 11), 5.5, Mark::N),
        (date!(2025 - 04 - 10), 6.2, Mark::N),
        (date!(2025 - 05 - 12), 6.5, Mark::T),
        (date!(2025 - 06 - 10), 6.5, Mark::T),
        (date!(2025 - 08 - 11), 7.0, Mark::O),
        (date!(2025 - 09 - 10), 7.3, Mark::N),
        (date!(2025 - 10 - 10), 7.2, Mark::T),
        (date!(2025 - 11 - 10), 6.4, Mark::Bgm),
        (date!(2025 - 12 - 10), 6.9, Mark::N),
        (date!(2026 - 01 - 12), 7.4, Mark::N),
    ];
    let obs: Vec<Observation> = weigh
        .iter()
        .map(|&(d, kg, m)| Observation::at_age(birth, d, kg, m))
        .collect();
    let lengths: Vec<Observation> = [
        (0.0, 50.0),
        (3.0, 59.0),
        (6.0, 64.5),
        (12.0, 71.0),
        (18.0, 76.5),
        (30.0, 85.0),
    ]
    .iter()
    .map(|&(x, y)| Observation {
        x,
        y,
        mark: Mark::None,
    })
    .collect();
    let wfl: Vec<Observation> = [
        (50.0, 3.3),
        (59.0, 5.5),
        (64.5, 6.5),
        (71.0, 7.3),
        (76.5, 8.4),
    ]
    .iter()
    .map(|&(x, y)| Observation {
        x,
        y,
        mark: Mark::None,
    })
    .collect();
    let bmi: Vec<Observation> = [(72.0, 15.0), (96.0, 16.2), (120.0, 18.9), (150.0, 21.5)]
        .iter()
        .map(|&(x, y)| Observation {
            x,
            y,
            mark: Mark::None,
        })
        .collect();
    let cases: [(&str, ChartKind, Sex, &[Observation], Lang); 8] = [
        (
            "wfa-0-24-boy",
            ChartKind::WeightForAge0To24,
            Sex::Male,
            &obs,
            Lang::Id,
        ),
        (
            "wfa-0-24-girl",
            ChartKind::WeightForAge0To24,
            Sex::Female,
            &obs,
            Lang::Id,
        ),
        (
            "wfa-24-60-girl",
            ChartKind::WeightForAge24To60,
            Sex::Female,
            &[],
            Lang::Id,
        ),
        (
            "wfa-0-60-boy-en",
            ChartKind::WeightForAge0To60,
            Sex::Male,
            &obs,
            Lang::En,
        ),
        (
            "lhfa-girl",
            ChartKind::LengthHeightForAge,
            Sex::Female,
            &lengths,
            Lang::Id,
        ),
        (
            "wfl-boy",
            ChartKind::WeightForLength,
            Sex::Male,
            &wfl,
            Lang::Id,
        ),
        (
            "wfh-girl",
            ChartKind::WeightForHeight,
            Sex::Female,
            &[],
            Lang::Id,
        ),
        (
            "bmi-girl",
            ChartKind::BmiForAge5To19,
            Sex::Female,
            &bmi,
            Lang::Id,
        ),
    ];
    for (name, kind, sex, obs, lang) in cases {
        let chart = growth_chart(kind, sex, obs).unwrap();
        let l = labels(Tr::new(lang), &chart, "Sari");
        std::fs::write(
            out.join(format!("chart-{name}.svg")),
            svg(&chart, &l, Style::default()),
        )
        .unwrap();
    }
    let chart = growth_chart(ChartKind::WeightForAge0To24, Sex::Male, &obs).unwrap();
    let l = labels(Tr::new(Lang::Id), &chart, "Sari");
    let tinted = svg(&chart, &l, Style { tint_bands: true });
    std::fs::write(out.join("chart-wfa-0-24-boy-tinted.svg"), tinted).unwrap();
}

/// A weighing without a KMS mark (under a month old, or no finding that day) is named in
/// the legend only when the card has one.
#[test]
fn an_unmarked_weighing_is_in_the_legend_when_there_is_one() {
    let legend = |mark| {
        let obs = [Observation {
            x: 0.5,
            y: 3.5,
            mark,
        }];
        let chart = growth_chart(ChartKind::WeightForAge0To24, Sex::Female, &obs).unwrap();
        let text = svg(
            &chart,
            &labels(Tr::new(Lang::Id), &chart, "Ani"),
            Style::default(),
        );
        text.contains(">Ditimbang, tanpa tanda</text>")
    };
    assert!(legend(Mark::None));
    assert!(!legend(Mark::B));
}

/// Marks are full size where a month is 12 units wide (0–24), three quarters on the
/// 24–60 page, and full size in the legend.
#[test]
fn marks_shrink_where_months_are_close() {
    let r = |kind| {
        let (lo, _) = ChartKind::x_range(kind);
        let obs = [Observation {
            x: lo + 1.0,
            y: 12.0,
            mark: Mark::N,
        }];
        let chart = growth_chart(kind, Sex::Male, &obs).unwrap();
        let text = svg(
            &chart,
            &labels(Tr::new(Lang::Id), &chart, "Ani"),
            Style::default(),
        );
        let doc = parse(&text);
        let rs: Vec<f64> = by_class(&doc, "n")
            .iter()
            .map(|n| num_attr(n, "r"))
            .collect();
        rs
    };
    assert_eq!(r(ChartKind::WeightForAge0To24), [4.5, 4.5]);
    let late = r(ChartKind::WeightForAge24To60);
    assert!((late[0] - 3.4).abs() < 0.05, "{late:?}");
    assert_eq!(late[1], 4.5, "the legend's");
}
