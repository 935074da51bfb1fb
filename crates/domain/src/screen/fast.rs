//! A fast path for the common line: the history arrays (two years of weighings and doses),
//! the measurements and the questionnaires are read as borrowed, typed values instead of a
//! `Value` tree. Any surprise (a wrong
//! type, an escaped string, a duplicate key, an entry that fails validation) sends the line
//! back to the reference path in `input`, which produces every error message, so both paths
//! give the same answer by construction.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

use super::fast_fields::{RawMeasurements, RawQuestionnaires};

/// `{"date": "...", "weight_kg": n}` with borrowed text; other keys ignored, as the
/// reference path does.
pub(super) struct RawWeighing<'a> {
    pub date: &'a str,
    pub weight_kg: f64,
}

/// `{"vaccine": "...", "date": "..."}` with borrowed text.
pub(super) struct RawDose<'a> {
    pub vaccine: &'a str,
    pub date: &'a str,
}

/// Accepts only a JSON object (serde's derive would also take an array for a struct).
struct EntryVisitor<T>(std::marker::PhantomData<T>);

impl<'de> Visitor<'de> for EntryVisitor<RawWeighing<'de>> {
    type Value = RawWeighing<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object {date, weight_kg}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut date, mut weight_kg) = (None, None);
        while let Some(key) = map.next_key::<&str>()? {
            match key {
                "date" if date.is_none() => date = Some(map.next_value::<&str>()?),
                "weight_kg" if weight_kg.is_none() => weight_kg = Some(map.next_value::<f64>()?),
                "date" | "weight_kg" => return Err(de::Error::custom("duplicate key")),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        match (date, weight_kg) {
            (Some(date), Some(weight_kg)) => Ok(RawWeighing { date, weight_kg }),
            _ => Err(de::Error::custom("missing key")),
        }
    }
}

impl<'de> Visitor<'de> for EntryVisitor<RawDose<'de>> {
    type Value = RawDose<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object {vaccine, date}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut vaccine, mut date) = (None, None);
        while let Some(key) = map.next_key::<&str>()? {
            match key {
                "vaccine" if vaccine.is_none() => vaccine = Some(map.next_value::<&str>()?),
                "date" if date.is_none() => date = Some(map.next_value::<&str>()?),
                "vaccine" | "date" => return Err(de::Error::custom("duplicate key")),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        match (vaccine, date) {
            (Some(vaccine), Some(date)) => Ok(RawDose { vaccine, date }),
            _ => Err(de::Error::custom("missing key")),
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for RawWeighing<'a> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(EntryVisitor::<RawWeighing<'de>>(std::marker::PhantomData))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for RawDose<'a> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(EntryVisitor::<RawDose<'de>>(std::marker::PhantomData))
    }
}

/// The known top-level keys; unknown keys are skipped, `null` reads as absent.
#[derive(Deserialize)]
pub(super) struct FastLine<'a> {
    #[serde(default)]
    pub id: Option<Value>,
    #[serde(default)]
    pub sex: Option<Value>,
    #[serde(default)]
    pub birth_date: Option<Value>,
    #[serde(default)]
    pub visit_date: Option<Value>,
    #[serde(default)]
    pub pregnancy: Option<Value>,
    #[serde(default)]
    pub postpartum_days: Option<Value>,
    #[serde(default, borrow)]
    pub measurements: Option<RawMeasurements<'a>>,
    #[serde(default, borrow)]
    pub previous_weighings: Option<Vec<RawWeighing<'a>>>,
    #[serde(default, borrow)]
    pub immunizations: Option<Vec<RawDose<'a>>>,
    #[serde(default)]
    pub questionnaires: Option<RawQuestionnaires>,
}

/// The line as a [`FastLine`], or `None` to take the reference path.
pub(super) fn read(line: &str) -> Option<FastLine<'_>> {
    // serde would read a top-level array positionally; only objects take this path.
    if !line.trim_start().starts_with('{') {
        return None;
    }
    serde_json::from_str(line).ok()
}
