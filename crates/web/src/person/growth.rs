//! Which growth charts a person's page shows, with which of their measurements
//! (`domain::growth_chart`): a balita gets the KMS page of their age (as in the Buku KIA)
//! with each weighing's N/T/BGM/O/B mark from that day's findings, the other KMS page when
//! it holds a weighing, length-for-age (0–24 months) and height-for-age (24–60) in the same
//! way, and weight-for-length/-height; a child of
//! 5–19 years BMI- and height-for-age (WHO 2007); anyone else none. A chart without a
//! measurement of this person is left off, except the KMS page of a balita's age.

use std::collections::BTreeMap;

use domain::age::{Age, days_between};
use domain::growth_chart::{
    ChartKind, DAYS_PER_MONTH, GrowthChart, Mark, Observation, growth_chart, kms_kind_for_age,
    lenhei_kind_for_age, weight_for_lenhei_kind,
};
use store::codes::MeasurementKind;
use store::{Finding, Measurement, Person};
use time::Date;

/// A length or height as WHO plots it (`growth` applies the same rule to the z-score):
/// under 731 days a standing height +0.7 cm, from 731 days a lying length −0.7 cm.
fn plotted_lenhei(kind: MeasurementKind, cm: f64, age_days: i64) -> f64 {
    match kind {
        MeasurementKind::Height if age_days < 731 => cm + 0.7,
        MeasurementKind::Length if age_days >= 731 => cm - 0.7,
        _ => cm,
    }
}

/// One day's weight and length/height (implausible values left out, as the KMS history
/// leaves them out; the last of a day when it was measured twice).
#[derive(Default)]
struct Day {
    weight: Option<f64>,
    lenhei: Option<(MeasurementKind, f64)>,
}

fn days(measurements: &[Measurement]) -> BTreeMap<Date, Day> {
    let mut by_date: BTreeMap<Date, Day> = BTreeMap::new();
    for m in measurements.iter().filter(|m| !m.implausible) {
        match m.kind {
            MeasurementKind::Weight => {
                by_date.entry(m.measured_on).or_default().weight = Some(m.value)
            }
            MeasurementKind::Length | MeasurementKind::Height => {
                by_date.entry(m.measured_on).or_default().lenhei = Some((m.kind, m.value));
            }
            _ => {}
        }
    }
    by_date
}

/// The charts of `p` as on `today`, in the order the page shows them.
pub fn charts_of(
    p: &Person,
    today: Date,
    measurements: &[Measurement],
    findings: &[Finding],
) -> Vec<GrowthChart> {
    let Some(age) = Age::at(p.birth_date, today) else {
        return Vec::new();
    };
    let sex = crate::day::assess::domain_sex(p.sex);
    let birth = p.birth_date;
    let by_date = days(measurements);
    let at = |on: Date, y: f64, mark: Mark| Observation::at_age(birth, on, y, mark);
    let months = age.days as f64 / DAYS_PER_MONTH;
    let mut wanted: Vec<(ChartKind, Vec<Observation>, bool)> = Vec::new();
    if age.is_balita() {
        let weighings: Vec<Observation> = by_date
            .iter()
            .filter_map(|(on, d)| {
                let codes = findings
                    .iter()
                    .filter(|f| f.found_on == *on)
                    .map(|f| f.code.as_str());
                d.weight.map(|kg| at(*on, kg, Mark::from_codes(codes)))
            })
            .collect();
        if !weighings.is_empty() {
            let now = kms_kind_for_age(months);
            let other = if now == ChartKind::WeightForAge0To24 {
                ChartKind::WeightForAge24To60
            } else {
                ChartKind::WeightForAge0To24
            };
            wanted.push((now, in_range(now, &weighings), true));
            wanted.push((other, in_range(other, &weighings), false));
        }
        let lenhei: Vec<Observation> = by_date
            .iter()
            .filter_map(|(on, d)| {
                let (kind, cm) = d.lenhei?;
                Some(at(
                    *on,
                    plotted_lenhei(kind, cm, days_between(birth, *on)),
                    Mark::None,
                ))
            })
            .collect();
        // Length-for-age to 24 months, height-for-age after (WHO's two charts): the page
        // of the child's age first.
        let now = lenhei_kind_for_age(months);
        let other = if now == ChartKind::LengthForAge0To24 {
            ChartKind::HeightForAge24To60
        } else {
            ChartKind::LengthForAge0To24
        };
        for kind in [now, other] {
            wanted.push((kind, in_range(kind, &lenhei), false));
        }
        // Weight against the length/height of the same day, in visit order.
        let mut wfl = Vec::new();
        let mut wfh = Vec::new();
        for (on, d) in &by_date {
            let (Some(kg), Some((kind, cm))) = (d.weight, d.lenhei) else {
                continue;
            };
            let age_days = days_between(birth, *on);
            let o = Observation {
                x: plotted_lenhei(kind, cm, age_days),
                y: kg,
                mark: Mark::None,
            };
            match weight_for_lenhei_kind(age_days) {
                ChartKind::WeightForLength => wfl.push(o),
                _ => wfh.push(o),
            }
        }
        wanted.push((ChartKind::WeightForLength, wfl, false));
        wanted.push((ChartKind::WeightForHeight, wfh, false));
    } else if age.is_school_age() {
        let mut bmi = Vec::new();
        let mut height = Vec::new();
        for (on, d) in &by_date {
            let Some((_, cm)) = d.lenhei else { continue };
            height.push(at(*on, cm, Mark::None));
            if let Some(kg) = d.weight {
                let m = cm / 100.0;
                bmi.push(at(*on, kg / (m * m), Mark::None));
            }
        }
        for (kind, obs) in [
            (ChartKind::BmiForAge5To19, bmi),
            (ChartKind::HeightForAge5To19, height),
        ] {
            let obs = in_range(kind, &obs);
            wanted.push((kind, obs, false));
        }
    }
    wanted
        .into_iter()
        .filter(|(_, obs, always)| *always || !obs.is_empty())
        .filter_map(|(kind, obs, _)| growth_chart(kind, sex, &obs).ok())
        .collect()
}

/// The observations of an age chart within its ages: a measurement from before the chart
/// begins belongs to another chart, not to this one's "left out".
fn in_range(kind: ChartKind, obs: &[Observation]) -> Vec<Observation> {
    let (lo, hi) = kind.x_range();
    obs.iter()
        .filter(|o| (lo..=hi).contains(&o.x))
        .copied()
        .collect()
}
