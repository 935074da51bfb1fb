//! Typed fast-path readers for `measurements` and `questionnaires` (see `fast`): each
//! accepts only what the reference path would accept without an error, and anything else
//! (an unknown key, a wrong type, a duplicate key, a value out of range) fails so that the
//! line goes to the reference path for its error messages.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::questionnaires::{Puma, Questionnaires, Skilas, TbSymptoms};
use crate::visit::{Measurements, Position};

use super::person_fields::MEASUREMENT_MAX;

/// `measurements` as read: one slot per numeric key (rules.md §11.3 order), plus position
/// and oedema. `null` reads as absent, as in the reference path.
#[derive(Default)]
pub(super) struct RawMeasurements<'a> {
    values: [Option<f64>; 11],
    measure: Option<&'a str>,
    oedema: Option<bool>,
}

/// The questionnaires as read.
#[derive(Default)]
pub(super) struct RawQuestionnaires {
    srq20: Option<[bool; 20]>,
    puma: Option<Puma>,
    barthel: Option<f64>,
    skilas: Option<Skilas>,
    tb_symptoms: Option<TbSymptoms>,
    vision_fingers_wrong: Option<f64>,
}

fn dup<E: de::Error>(key: &str) -> E {
    E::custom(format_args!("duplicate key {key}"))
}

/// Store `v` in `slot` unless the key was already seen (reference path keeps the last
/// value; this path declines instead).
fn once<T, E: de::Error>(
    slot: &mut Option<T>,
    seen: &mut bool,
    key: &str,
    v: Option<T>,
) -> Result<(), E> {
    if std::mem::replace(seen, true) {
        return Err(dup(key));
    }
    *slot = v;
    Ok(())
}

struct MapOnly<T>(PhantomData<T>);

impl<'de> Visitor<'de> for MapOnly<RawMeasurements<'de>> {
    type Value = RawMeasurements<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a measurements object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut m = RawMeasurements::default();
        let mut seen = [false; 13];
        while let Some(key) = map.next_key::<&str>()? {
            if let Some(i) = MEASUREMENT_MAX.iter().position(|(k, _)| *k == key) {
                once(
                    &mut m.values[i],
                    &mut seen[i],
                    key,
                    map.next_value::<Option<f64>>()?,
                )?;
            } else if key == "measure" {
                once(
                    &mut m.measure,
                    &mut seen[11],
                    key,
                    map.next_value::<Option<&str>>()?,
                )?;
            } else if key == "oedema" {
                once(
                    &mut m.oedema,
                    &mut seen[12],
                    key,
                    map.next_value::<Option<bool>>()?,
                )?;
            } else {
                return Err(de::Error::custom("unknown measurement"));
            }
        }
        Ok(m)
    }
}

/// A flags object (SKILAS domains or TB symptoms): known keys, boolean or null values.
fn read_flags<'de, A: MapAccess<'de>>(
    mut map: A,
    keys: &[&'static str],
    mut set: impl FnMut(&str, bool),
) -> Result<(), A::Error> {
    let mut seen = [false; 8];
    while let Some(key) = map.next_key::<&str>()? {
        let Some(i) = keys.iter().position(|k| *k == key) else {
            return Err(de::Error::custom("unknown flag"));
        };
        if std::mem::replace(&mut seen[i], true) {
            return Err(dup(key));
        }
        if let Some(b) = map.next_value::<Option<bool>>()? {
            set(key, b);
        }
    }
    Ok(())
}

impl<'de> Visitor<'de> for MapOnly<Skilas> {
    type Value = Skilas;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a SKILAS object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let mut s = Skilas::default();
        read_flags(map, &Skilas::DOMAINS, |k, b| {
            s.set(k, b);
        })?;
        Ok(s)
    }
}

impl<'de> Visitor<'de> for MapOnly<TbSymptoms> {
    type Value = TbSymptoms;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a TB symptoms object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let mut t = TbSymptoms::default();
        read_flags(map, &TbSymptoms::KEYS, |k, b| {
            t.set(k, b);
        })?;
        Ok(t)
    }
}

impl<'de> Visitor<'de> for MapOnly<Puma> {
    type Value = Puma;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a PUMA object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut pack, mut b) = (None, [None; 4]);
        let names = ["breathless", "phlegm", "cough", "spirometry"];
        while let Some(key) = map.next_key::<&str>()? {
            if key == "pack_years" {
                if pack.replace(map.next_value::<f64>()?).is_some() {
                    return Err(dup(key));
                }
            } else if let Some(i) = names.iter().position(|n| *n == key) {
                if b[i].replace(map.next_value::<bool>()?).is_some() {
                    return Err(dup(key));
                }
            } else {
                // The reference path ignores other keys inside `puma`.
                map.next_value::<IgnoredAny>()?;
            }
        }
        match (pack, b) {
            (
                Some(pack_years),
                [
                    Some(breathless),
                    Some(phlegm),
                    Some(cough),
                    Some(spirometry),
                ],
            ) if (0.0..=200.0).contains(&pack_years) => Ok(Puma {
                pack_years,
                breathless,
                phlegm,
                cough,
                spirometry,
            }),
            _ => Err(de::Error::custom("incomplete PUMA")),
        }
    }
}

/// Deserialize `T` through its map-only visitor.
struct ViaMap<T>(T);

macro_rules! via_map {
    ($t:ty) => {
        impl<'de> Deserialize<'de> for ViaMap<$t> {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_map(MapOnly::<$t>(PhantomData)).map(ViaMap)
            }
        }
    };
}
via_map!(Skilas);
via_map!(TbSymptoms);
via_map!(Puma);

impl<'de> Visitor<'de> for MapOnly<RawQuestionnaires> {
    type Value = RawQuestionnaires;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a questionnaires object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut q = RawQuestionnaires::default();
        let mut seen = [false; 6];
        while let Some(key) = map.next_key::<&str>()? {
            match key {
                "srq20" => once(&mut q.srq20, &mut seen[0], key, map.next_value()?)?,
                "puma" => {
                    let v: Option<ViaMap<Puma>> = map.next_value()?;
                    once(&mut q.puma, &mut seen[1], key, v.map(|x| x.0))?
                }
                "barthel" => once(&mut q.barthel, &mut seen[2], key, map.next_value()?)?,
                "skilas" => {
                    let v: Option<ViaMap<Skilas>> = map.next_value()?;
                    once(&mut q.skilas, &mut seen[3], key, v.map(|x| x.0))?
                }
                "tb_symptoms" => {
                    let v: Option<ViaMap<TbSymptoms>> = map.next_value()?;
                    once(&mut q.tb_symptoms, &mut seen[4], key, v.map(|x| x.0))?
                }
                "vision_fingers_wrong" => once(
                    &mut q.vision_fingers_wrong,
                    &mut seen[5],
                    key,
                    map.next_value()?,
                )?,
                _ => return Err(de::Error::custom("unknown questionnaire")),
            }
        }
        Ok(q)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for RawMeasurements<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(MapOnly::<RawMeasurements<'de>>(PhantomData))
    }
}

impl<'de> Deserialize<'de> for RawQuestionnaires {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(MapOnly::<RawQuestionnaires>(PhantomData))
    }
}

/// Clean measurements, or `None` when any value would be an error in the reference path.
pub(super) fn measurements(raw: &RawMeasurements<'_>) -> Option<Measurements> {
    let mut v = [None; 11];
    for (i, (slot, &(_, max))) in v.iter_mut().zip(MEASUREMENT_MAX.iter()).enumerate() {
        if let Some(x) = raw.values[i] {
            if !(x > 0.0 && x <= max) {
                return None;
            }
            *slot = Some(x);
        }
    }
    let measure = match raw.measure {
        None => None,
        Some(s) if s.eq_ignore_ascii_case("l") => Some(Position::Lying),
        Some(s) if s.eq_ignore_ascii_case("h") => Some(Position::Standing),
        Some(_) => return None,
    };
    let [
        weight_kg,
        lenhei_cm,
        head_cm,
        muac_cm,
        waist_cm,
        systolic,
        diastolic,
        glucose_random,
        glucose_fasting,
        cholesterol,
        hb,
    ] = v;
    if let (Some(s), Some(d)) = (systolic, diastolic)
        && d >= s
    {
        return None;
    }
    Some(Measurements {
        weight_kg,
        lenhei_cm,
        measure,
        head_cm,
        muac_cm,
        waist_cm,
        systolic,
        diastolic,
        glucose_random,
        glucose_fasting,
        cholesterol,
        hb,
        oedema: raw.oedema.unwrap_or(false),
    })
}

/// An integer in `[lo, hi]` or `None`.
fn whole(x: Option<f64>, hi: f64) -> Result<Option<u8>, ()> {
    match x {
        None => Ok(None),
        Some(x) if x.fract() == 0.0 && (0.0..=hi).contains(&x) => Ok(Some(x as u8)),
        Some(_) => Err(()),
    }
}

/// Clean questionnaires, or `None` when any would be an error in the reference path.
pub(super) fn questionnaires(raw: &RawQuestionnaires) -> Option<Questionnaires> {
    Some(Questionnaires {
        srq20: raw.srq20,
        puma: raw.puma,
        barthel: whole(raw.barthel, 20.0).ok()?,
        skilas: raw.skilas,
        tb_symptoms: raw.tb_symptoms,
        vision_fingers_wrong: whole(raw.vision_fingers_wrong, 5.0).ok()?,
    })
}
