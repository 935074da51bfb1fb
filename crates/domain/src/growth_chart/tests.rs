#![allow(clippy::unwrap_used)]

use time::macros::date;

use super::*;
use crate::Settings;

fn chart(kind: ChartKind, sex: Sex, obs: &[Observation]) -> GrowthChart {
    growth_chart(kind, sex, obs).unwrap()
}

fn line(c: &GrowthChart, z: f64) -> &ZLine {
    c.lines.iter().find(|l| l.z == z).unwrap()
}

fn y_at(l: &ZLine, x: f64) -> f64 {
    l.points.iter().find(|p| (p.0 - x).abs() < 1e-9).unwrap().1
}

/// The median line is WHO's M, read from the tables in `crates/growth/data` (row cited).
/// WFA is by day: 12 months is day 365 (365.25 rounded half up), M = 9.646 for boys; WHO's
/// monthly summary table prints 9.6479 at month 12 because it tabulates day 365.25, which
/// the daily table (what anthro and the KMS software use) does not have.
#[test]
fn the_median_is_who_s_m() {
    #[rustfmt::skip]
    let cases = [
        // (kind, sex, x, M, source row)
        (ChartKind::WeightForAge0To24, Sex::Male, 12.0, 9.646, "wfa 1,365"),
        (ChartKind::WeightForAge0To60, Sex::Female, 0.0, 3.2322, "wfa 2,0"),
        (ChartKind::WeightForAge24To60, Sex::Male, 60.0, 18.3352, "wfa 1,1826"),
        (ChartKind::LengthHeightForAge, Sex::Male, 12.0, 75.7391, "lhfa 1,365"),
        (ChartKind::LengthHeightForAge, Sex::Female, 24.0, 85.7299, "lhfa 2,731 H"),
        (ChartKind::WeightForLength, Sex::Male, 45.0, 2.441, "wfl 1,45"),
        (ChartKind::WeightForLength, Sex::Female, 80.0, 10.0891, "wfl 2,80"),
        (ChartKind::WeightForHeight, Sex::Male, 65.0, 7.4327, "wfh 1,65"),
        (ChartKind::WeightForHeight, Sex::Female, 100.0, 15.2246, "wfh 2,100"),
        (ChartKind::BmiForAge5To19, Sex::Male, 61.0, 15.2641, "bmi2007 1,61"),
        (ChartKind::BmiForAge5To19, Sex::Female, 228.0, 21.4269, "bmi2007 2,228"),
    ];
    for (kind, sex, x, m, row) in cases {
        let c = chart(kind, sex, &[]);
        let got = y_at(line(&c, 0.0), x);
        assert!((got - m).abs() < 1e-9, "{row}: {got} ≠ {m}");
    }
}

/// +1 SD is M(1 + L·S)^(1/L) (WHO's LMS; within ±3 SD no restriction): boys WFA day 365,
/// L 0.0645, M 9.646, S 0.10925 — computed here, not by the growth crate.
#[test]
fn the_orange_line_is_plus_one_sd_by_the_lms_formula() {
    let c = chart(ChartKind::WeightForAge0To24, Sex::Male, &[]);
    let (l, m, s) = (0.0645_f64, 9.646, 0.10925);
    let want = m * (1.0 + l * s).powf(1.0 / l);
    let orange = c.lines.iter().find(|l| l.role == LineRole::Orange).unwrap();
    assert_eq!(orange.z, 1.0);
    assert!((y_at(orange, 12.0) - want).abs() < 1e-9);
    let red = c.lines.iter().find(|l| l.role == LineRole::Red).unwrap();
    assert_eq!(
        red.z,
        Settings::default().bgm_waz,
        "the red line is the BGM rule's"
    );
}

/// For every kind and sex: lines ordered bottom to top at every sample, spanning exactly
/// the kind's x range, every band edge a drawn line, the axes covering the lines.
#[test]
fn every_chart_is_ordered_and_fits_its_range() {
    for kind in ChartKind::ALL {
        for sex in [Sex::Male, Sex::Female] {
            let c = chart(kind, sex, &[]);
            let (min, max) = kind.x_range();
            assert_eq!((c.x.min, c.x.max), (min, max), "{kind:?}");
            assert_eq!(c.lines.len(), kind.z_lines().len());
            let n = c.lines[0].points.len();
            assert!(n > 50, "{kind:?}: {n} samples");
            assert_eq!(c.lines[0].points[0].0, min);
            assert_eq!(c.lines[0].points[n - 1].0, max);
            for i in 0..n {
                let ys: Vec<f64> = c.lines.iter().map(|l| l.points[i].1).collect();
                assert!(ys.windows(2).all(|w| w[0] < w[1]), "{kind:?} {sex:?} #{i}");
                assert!(ys.iter().all(|y| (c.y.min..=c.y.max).contains(y)));
            }
            for b in &c.bands {
                for e in [b.lower, b.upper] {
                    if let Edge::Line(z) = e {
                        assert!(kind.z_lines().contains(&z), "{kind:?}: edge {z}");
                    }
                }
            }
            assert_eq!(c.bands.first().unwrap().lower, Edge::Bottom);
            assert_eq!(c.bands.last().unwrap().upper, Edge::Top);
            for axis in [&c.x, &c.y] {
                assert!(axis.major.iter().all(|t| (axis.min..=axis.max).contains(t)));
                assert!(
                    axis.major.len() >= 4 && axis.major.len() <= 17,
                    "{kind:?} {:?}",
                    axis.major
                );
            }
        }
    }
}

#[test]
fn ticks_are_the_card_s() {
    let c = chart(ChartKind::WeightForAge0To24, Sex::Female, &[]);
    assert_eq!(
        c.x.major,
        (0..=12).map(|i| f64::from(i) * 2.0).collect::<Vec<_>>()
    );
    assert_eq!(c.x.minor.len(), 25, "every month");
    assert_eq!(
        c.y.major[1] - c.y.major[0],
        1.0,
        "1 kg steps on the first page"
    );
    let bmi = chart(ChartKind::BmiForAge5To19, Sex::Male, &[]);
    assert_eq!(bmi.x_unit, XUnit::Years);
    assert_eq!(
        bmi.x.major.first(),
        Some(&72.0),
        "6 years: 5 years is before WHO's 61 months"
    );
    assert_eq!(bmi.x.major.last(), Some(&228.0));
}

/// Length-for-age steps down at 24 months: day 730 is length, day 731 height (girls
/// median 86.4008 → 85.7299 cm), so the line has both.
#[test]
fn length_steps_to_height_at_two_years() {
    let c = chart(ChartKind::LengthHeightForAge, Sex::Female, &[]);
    let median = line(&c, 0.0);
    assert!((y_at(median, 730.0 / DAYS_PER_MONTH) - 86.4008).abs() < 1e-9);
    assert!((y_at(median, 24.0) - 85.7299).abs() < 1e-9);
}

#[test]
fn points_are_sorted_joined_and_classified_by_band() {
    let birth = date!(2025 - 01 - 01);
    // Boys WFA at day 365: −2 SD and the red line from the growth crate.
    let at = |z| growth::value_at_z(growth::Indicator::WeightForAge, growth::Sex::Male, 365.0, z);
    let minus2 = at(-2.0).unwrap();
    let red = at(RED_LINE_Z).unwrap();
    let day365 = date!(2026 - 01 - 01);
    let obs = [
        Observation::at_age(birth, day365, minus2, Mark::N),
        Observation::at_age(birth, date!(2025 - 03 - 01), 5.5, Mark::B),
        Observation::at_age(birth, date!(2026 - 02 - 01), minus2 - 0.001, Mark::T),
        Observation::at_age(birth, date!(2026 - 04 - 01), red - 0.05, Mark::Bgm),
        Observation::at_age(birth, date!(2026 - 06 - 01), 9.0, Mark::O),
    ];
    let c = chart(ChartKind::WeightForAge0To24, Sex::Male, &obs);
    let got: Vec<(Mark, Option<Meaning>, bool)> = c
        .points
        .iter()
        .map(|p| (p.mark, p.meaning, p.joined))
        .collect();
    use Meaning::*;
    assert_eq!(
        got,
        [
            (Mark::B, Some(NormalWeight), false),
            (Mark::N, Some(NormalWeight), true),
            (Mark::T, Some(Underweight), true),
            (Mark::Bgm, Some(SeverelyUnderweight), true),
            (Mark::O, Some(NormalWeight), false),
        ],
        "exactly −2 SD is normal (−3 to < −2 is kurang); the line breaks before O and B"
    );
    assert_eq!(c.points[1].x, 365.0 / DAYS_PER_MONTH);
    assert_eq!(c.left_out, 0);
}

/// Outside the x range, before birth or not a number: left off and counted, never moved
/// onto the chart. A mistyped weight (90 kg) is drawn pinned to the top and flagged, and
/// does not stretch the axis past half the chart's own span.
#[test]
fn points_outside_are_left_off_or_flagged() {
    let birth = date!(2024 - 01 - 01);
    let obs = [
        Observation::at_age(birth, date!(2023 - 12 - 01), 3.0, Mark::None),
        Observation::at_age(birth, date!(2026 - 06 - 01), 13.0, Mark::N),
        Observation::at_age(birth, date!(2024 - 06 - 01), f64::NAN, Mark::None),
        Observation::at_age(birth, date!(2024 - 07 - 01), 0.0, Mark::None),
        Observation::at_age(birth, date!(2024 - 08 - 01), 90.0, Mark::T),
        Observation::at_age(birth, date!(2024 - 09 - 01), 8.0, Mark::N),
    ];
    let c = chart(ChartKind::WeightForAge0To24, Sex::Female, &obs);
    assert_eq!(c.left_out, 4);
    assert_eq!(c.points.len(), 2);
    let wild = c.points[0];
    assert!(wild.off_scale && wild.y == c.y.max && wild.value == 90.0);
    assert!(c.y.max < 25.0, "axis kept to the curves: {}", c.y.max);
    assert!(!c.points[1].off_scale);
    // Lengths outside 45–110 cm are left off the weight-for-length chart.
    let wfl = [
        Observation {
            x: 44.9,
            y: 2.0,
            mark: Mark::None,
        },
        Observation {
            x: 110.1,
            y: 18.0,
            mark: Mark::None,
        },
        Observation {
            x: 70.0,
            y: 8.0,
            mark: Mark::None,
        },
    ];
    let c = chart(ChartKind::WeightForLength, Sex::Male, &wfl);
    assert_eq!((c.left_out, c.points.len()), (2, 1));
    assert_eq!(c.points[0].meaning, Some(Meaning::Normal));
}

#[test]
fn the_mark_is_the_one_a_cadre_writes() {
    let cases: [(&[&str], Mark); 6] = [
        (&["kms_n"], Mark::N),
        (&["kms_t", "kms_bgm"], Mark::Bgm),
        (&["kms_2t", "kms_t"], Mark::T),
        (&["kms_o"], Mark::O),
        (&["kms_b", "bbu_normal"], Mark::B),
        (&["stunting"], Mark::None),
    ];
    for (codes, want) in cases {
        assert_eq!(Mark::from_codes(codes.iter().copied()), want, "{codes:?}");
    }
}

#[test]
fn the_kind_follows_the_child() {
    assert_eq!(kms_kind_for_age(23.99), ChartKind::WeightForAge0To24);
    assert_eq!(kms_kind_for_age(24.0), ChartKind::WeightForAge24To60);
    assert_eq!(lenhei_kind_for_age(23.99), ChartKind::LengthForAge0To24);
    assert_eq!(lenhei_kind_for_age(24.0), ChartKind::HeightForAge24To60);
    assert_eq!(weight_for_lenhei_kind(730), ChartKind::WeightForLength);
    assert_eq!(weight_for_lenhei_kind(731), ChartKind::WeightForHeight);
    const { assert!(!KMS_PRINTS_BANDS, "the 2021 KMS has no colour bands") };
}

/// Height-for-age 5–19 (WHO 2007): the median at 10 years is WHO's M for girls
/// (138.6 cm, month 120), a 10-year-old girl 2 SD below is "pendek".
#[test]
fn height_for_age_2007_is_who_s() {
    let c = chart(
        ChartKind::HeightForAge5To19,
        Sex::Female,
        &[Observation {
            x: 120.0,
            y: 124.0,
            mark: Mark::None,
        }],
    );
    assert_eq!((c.x_unit, c.y_unit), (XUnit::Years, YUnit::Cm));
    let m = growth::value_at_z(
        growth::Indicator::HeightForAge2007,
        Sex::Female.to_growth(),
        120.0,
        0.0,
    )
    .unwrap();
    assert!((m - 138.6).abs() < 0.5, "{m}");
    assert!((y_at(line(&c, 0.0), 120.0) - m).abs() < 1e-9);
    assert_eq!(c.points[0].meaning, Some(Meaning::Stunted));
}

/// The two pages of length/height-for-age meet at 24 months as WHO's two charts do: the
/// first ends on day 730's length (girls' median 86.4008 cm), the second begins with
/// day 731's height (85.7299 cm).
#[test]
fn length_and_height_pages_meet_at_two_years() {
    let first = chart(ChartKind::LengthForAge0To24, Sex::Female, &[]);
    let end = *line(&first, 0.0).points.last().unwrap();
    assert_eq!(end.0, 24.0);
    assert!((end.1 - 86.4008).abs() < 1e-9, "{end:?}");
    let second = chart(ChartKind::HeightForAge24To60, Sex::Female, &[]);
    let start = line(&second, 0.0).points[0];
    assert_eq!(start.0, 24.0);
    assert!((start.1 - 85.7299).abs() < 1e-9, "{start:?}");
    assert_eq!(
        (first.x_unit, first.y_unit, second.x.major[1]),
        (XUnit::Months, YUnit::Cm, 27.0)
    );
}
