//! Properties every WHO z-score must have, over the whole range of every table: z rises with
//! the measurement, the median gives exactly 0, and `value_at_z` inverts the z-score.
#![allow(clippy::unwrap_used)]

use growth::{
    Age, ChildMeasurements, Indicator, Measure, Sex, YouthMeasurements, value_at_z, who2006,
    who2007,
};
use proptest::prelude::*;

fn sex() -> impl Strategy<Value = Sex> {
    prop_oneof![Just(Sex::Male), Just(Sex::Female)]
}

/// The raw z of one 2006 age-based indicator for a child with only that measurement.
fn z2006(ind: Indicator, sex: Sex, day: i64, y: f64) -> Option<f64> {
    let mut c = ChildMeasurements {
        sex: Some(sex),
        age: Some(Age::Days(day as f64)),
        ..Default::default()
    };
    match ind {
        Indicator::LengthHeightForAge => {
            c.lenhei_cm = Some(y);
            c.measure = Some(if day < 731 {
                Measure::Lying
            } else {
                Measure::Standing
            });
        }
        Indicator::WeightForAge => c.weight_kg = Some(y),
        Indicator::HeadCircumferenceForAge => c.headc_cm = Some(y),
        Indicator::ArmCircumferenceForAge => c.armc_cm = Some(y),
        Indicator::TricepsSkinfoldForAge => c.triskin_mm = Some(y),
        Indicator::SubscapularSkinfoldForAge => c.subskin_mm = Some(y),
        _ => unreachable!(),
    }
    let out = who2006(&c);
    let z = match ind {
        Indicator::LengthHeightForAge => out.zlen,
        Indicator::WeightForAge => out.zwei,
        Indicator::HeadCircumferenceForAge => out.zhc,
        Indicator::ArmCircumferenceForAge => out.zac,
        Indicator::TricepsSkinfoldForAge => out.zts,
        _ => out.zss,
    };
    z.map(|z| z.raw)
}

const AGE_BASED: [Indicator; 6] = [
    Indicator::LengthHeightForAge,
    Indicator::WeightForAge,
    Indicator::HeadCircumferenceForAge,
    Indicator::ArmCircumferenceForAge,
    Indicator::TricepsSkinfoldForAge,
    Indicator::SubscapularSkinfoldForAge,
];

proptest! {
    #[test]
    fn age_based_z_is_monotonic_and_zero_at_median(
        i in 0usize..6, sex in sex(), day in 91i64..=1826, za in -8.0f64..8.0, dz in 0.001f64..3.0
    ) {
        let ind = AGE_BASED[i];
        let median = value_at_z(ind, sex, day as f64, 0.0).unwrap();
        prop_assert_eq!(z2006(ind, sex, day, median), Some(0.0));
        let lo = value_at_z(ind, sex, day as f64, za).unwrap();
        let hi = value_at_z(ind, sex, day as f64, za + dz).unwrap();
        prop_assume!(lo > 0.0);
        let (zl, zh) = (z2006(ind, sex, day, lo).unwrap(), z2006(ind, sex, day, hi).unwrap());
        prop_assert!(zl < zh, "{ind:?} day {day}: z({lo})={zl} !< z({hi})={zh}");
        prop_assert!((zl - za).abs() < 1e-8, "inverse: {zl} vs {za}");
    }

    #[test]
    fn weight_for_length_is_monotonic_in_weight_and_zero_at_median(
        sex in sex(), len in 45.0f64..110.0, w in 1.0f64..30.0, dw in 0.01f64..5.0
    ) {
        let wfl = |w: f64| {
            who2006(&ChildMeasurements {
                sex: Some(sex), weight_kg: Some(w), lenhei_cm: Some(len),
                measure: Some(Measure::Lying), ..Default::default()
            }).zwfl.unwrap().raw
        };
        prop_assert!(wfl(w) < wfl(w + dw));
        let median = value_at_z(Indicator::WeightForLength, sex, len, 0.0).unwrap();
        prop_assert!(wfl(median).abs() < 1e-12);
    }

    #[test]
    fn who2007_is_monotonic_and_zero_at_median(
        sex in sex(), age in 60.0f64..=228.0, h in 90.0f64..200.0, dh in 0.1f64..20.0
    ) {
        let hfa = |h: f64| {
            who2007(&YouthMeasurements {
                sex: Some(sex), age_months: Some(age), height_cm: Some(h), ..Default::default()
            }).zhfa.unwrap().raw
        };
        prop_assert!(hfa(h) < hfa(h + dh));
        let median = value_at_z(Indicator::HeightForAge2007, sex, age, 0.0).unwrap();
        prop_assert!(hfa(median).abs() < 1e-12);
    }
}

#[test]
fn value_at_z_is_missing_outside_the_tables() {
    assert!(value_at_z(Indicator::ArmCircumferenceForAge, Sex::Male, 90.0, 0.0).is_none());
    assert!(value_at_z(Indicator::WeightForAge, Sex::Female, 1827.0, 0.0).is_none());
    assert!(value_at_z(Indicator::WeightForLength, Sex::Male, 44.9, 0.0).is_none());
    assert!(value_at_z(Indicator::WeightForAge2007, Sex::Male, 122.0, 0.0).is_none());
    assert!(value_at_z(Indicator::WeightForAge, Sex::Male, -1.0, 0.0).is_none());
}

#[test]
fn oedema_and_missing_sex_clear_the_right_scores() {
    let base = ChildMeasurements {
        sex: Some(Sex::Female),
        age: Some(Age::Days(400.0)),
        weight_kg: Some(9.0),
        lenhei_cm: Some(75.0),
        measure: Some(Measure::Lying),
        headc_cm: Some(45.0),
        armc_cm: Some(14.0),
        oedema: true,
        ..Default::default()
    };
    let out = who2006(&base);
    assert!(out.zwei.is_none() && out.zwfl.is_none() && out.zbmi.is_none());
    assert!(out.zlen.is_some() && out.zhc.is_some() && out.zac.is_some());
    let no_sex = who2006(&ChildMeasurements {
        sex: None,
        oedema: false,
        ..base
    });
    assert!(no_sex.zlen.is_none() && no_sex.zwfl.is_none());
    assert_eq!(
        no_sex.clenhei,
        Some(75.0),
        "cleaned values are still reported"
    );
}
