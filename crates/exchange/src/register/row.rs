//! One register row → a validated register row, or every problem it has (line, column, value).

use growth::{Age, ChildMeasurements, Measure, YouthMeasurements, who2006, who2007};
use store::model::Sex;
use store::nik::{self, Nik};
use time::Date;

use super::columns::{Column, ColumnMap};
use super::lang::Lang;
use super::values;

/// A problem that keeps a row out of the store.
#[derive(Clone, Debug, PartialEq)]
pub struct RowError {
    /// Line in the file (1 = the header).
    pub line: u64,
    /// Canonical column name (see [`Column::name`]); `baris` for the row as a whole.
    pub field: &'static str,
    /// The cell as written (a NIK is masked: never echoed in full).
    pub value: String,
    pub reason: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "baris {}, kolom {} = '{}': {}",
            self.line, self.field, self.value, self.reason
        )
    }
}

/// Something to re-check that does not keep the row out (NIK inconsistencies, WHO flags).
#[derive(Clone, Debug, PartialEq)]
pub struct RowNote {
    pub line: u64,
    pub field: &'static str,
    pub value: String,
    pub message: String,
}

impl std::fmt::Display for RowNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "baris {}, kolom {} = '{}': {}",
            self.line, self.field, self.value, self.message
        )
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct PersonFields {
    pub nik: Option<Nik>,
    pub name: String,
    pub sex: Sex,
    pub birth_date: Date,
    pub mother_name: Option<String>,
    pub mother_nik: Option<Nik>,
    pub address: Option<String>,
    pub rt: Option<String>,
    pub rw: Option<String>,
}

/// Where the person is served: a desa code (or the desa's name, as e-PPGBM writes it)
/// and/or a posyandu code or name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct UnitRef {
    /// 10 digits, no dots.
    pub desa_code: Option<String>,
    pub desa_name: Option<String>,
    pub posyandu: Option<String>,
}

/// One measurement with its implausibility flag (WHO flag: re-measure, but keep it).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Value {
    pub value: f64,
    pub implausible: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Weighing {
    pub date: Date,
    pub weight_kg: Option<Value>,
    pub length_cm: Option<Value>,
    pub method: Measure,
    pub arm_circ_cm: Option<Value>,
    pub head_circ_cm: Option<Value>,
}

/// A row that passed validation.
#[derive(Clone, Debug, PartialEq)]
pub struct RegisterRow {
    pub line: u64,
    pub person: PersonFields,
    pub unit: UnitRef,
    pub weighing: Option<Weighing>,
}

/// Physically possible ranges; a value outside is a typing error, not a child to re-measure.
const WEIGHT_RANGE: (f64, f64) = (0.3, 300.0);
const LENGTH_RANGE: (f64, f64) = (20.0, 250.0);
const ARM_RANGE: (f64, f64) = (5.0, 60.0);
const HEAD_RANGE: (f64, f64) = (15.0, 70.0);

fn mask_nik(cell: &str) -> String {
    let digits: String = cell.chars().filter(char::is_ascii_digit).collect();
    if digits.len() > 4 {
        format!("…{}", &digits[digits.len() - 4..])
    } else {
        "…".to_owned()
    }
}

/// Reads one record. `cells` are the record's fields; `today` bounds dates; reasons and
/// notes are in `lang`.
pub fn validate(
    line: u64,
    cells: &[&str],
    map: &ColumnMap,
    today: Date,
    lang: Lang,
) -> Result<(RegisterRow, Vec<RowNote>), Vec<RowError>> {
    let mut errors = Vec::new();
    let mut notes = Vec::new();
    let cell = |c: Column| {
        map.position(c)
            .and_then(|i| cells.get(i))
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
    };
    let err = |errors: &mut Vec<RowError>, c: Column, v: &str, reason: String| {
        let value = if matches!(c, Column::Nik | Column::MotherNik) {
            mask_nik(v)
        } else {
            v.to_owned()
        };
        errors.push(RowError {
            line,
            field: c.name(),
            value,
            reason,
        });
    };

    let name = match cell(Column::Name) {
        Some(n) if n.chars().count() <= 100 => {
            Some(n.split_whitespace().collect::<Vec<_>>().join(" "))
        }
        Some(n) => {
            err(
                &mut errors,
                Column::Name,
                n,
                lang.pick("lebih dari 100 karakter", "more than 100 characters"),
            );
            None
        }
        None => {
            err(
                &mut errors,
                Column::Name,
                "",
                lang.pick("wajib diisi", "required"),
            );
            None
        }
    };
    let sex = match cell(Column::Sex) {
        Some(s) => values::sex_in(s, lang)
            .map_err(|r| err(&mut errors, Column::Sex, s, r))
            .ok(),
        None => {
            err(
                &mut errors,
                Column::Sex,
                "",
                lang.pick("wajib diisi (L/P)", "required (L/P)"),
            );
            None
        }
    };
    let birth = match cell(Column::BirthDate) {
        Some(s) => match values::date_in(s, lang) {
            Ok(d) if d > today => {
                err(
                    &mut errors,
                    Column::BirthDate,
                    s,
                    lang.pick("tanggal lahir di masa depan", "birth date in the future"),
                );
                None
            }
            Ok(d) if today.year() - d.year() > 120 => {
                err(
                    &mut errors,
                    Column::BirthDate,
                    s,
                    lang.pick("lebih dari 120 tahun lalu", "more than 120 years ago"),
                );
                None
            }
            Ok(d) => Some(d),
            Err(r) => {
                err(&mut errors, Column::BirthDate, s, r);
                None
            }
        },
        None => {
            err(
                &mut errors,
                Column::BirthDate,
                "",
                lang.pick("wajib diisi", "required"),
            );
            None
        }
    };
    let mut parse_nik = |c: Column| {
        cell(c).and_then(|s| match Nik::parse(s) {
            Ok(n) => Some(n),
            Err(e) => {
                err(&mut errors, c, s, lang.nik_error(&e));
                None
            }
        })
    };
    let nik = parse_nik(Column::Nik);
    let mother_nik = parse_nik(Column::MotherNik);
    let desa_code = cell(Column::DesaCode).and_then(|s| {
        let digits: String = s.chars().filter(|c| *c != '.').collect();
        if digits.len() == 10 && digits.bytes().all(|b| b.is_ascii_digit()) {
            Some(digits)
        } else {
            err(
                &mut errors,
                Column::DesaCode,
                s,
                lang.pick(
                    "kode desa Kemendagri 10 angka, mis. 35.08.01.2001",
                    "Kemendagri desa code of 10 digits, e.g. 35.08.01.2001",
                ),
            );
            None
        }
    });

    // Measurements: each parsed, range-checked; a date is needed when any is present.
    let mut measure = |c: Column, range: (f64, f64), unit: &str| {
        cell(c).and_then(|s| match values::decimal_in(s, lang) {
            Ok(v) if v >= range.0 && v <= range.1 => Some(v),
            Ok(_) => {
                err(
                    &mut errors,
                    c,
                    s,
                    lang.pick(
                        format!(
                            "di luar {}–{} {unit}: periksa satuan dan tanda desimal",
                            range.0, range.1
                        ),
                        format!(
                            "outside {}–{} {unit}: check the unit and the decimal mark",
                            range.0, range.1
                        ),
                    ),
                );
                None
            }
            Err(r) => {
                err(&mut errors, c, s, r);
                None
            }
        })
    };
    let weight = measure(Column::WeightKg, WEIGHT_RANGE, "kg");
    let length = measure(Column::LengthCm, LENGTH_RANGE, "cm");
    let arm = measure(Column::ArmCircCm, ARM_RANGE, "cm");
    let head = measure(Column::HeadCircCm, HEAD_RANGE, "cm");
    let any_measure = [
        Column::WeightKg,
        Column::LengthCm,
        Column::ArmCircCm,
        Column::HeadCircCm,
    ]
    .iter()
    .any(|c| cell(*c).is_some());
    let measured_on = match cell(Column::MeasuredOn) {
        Some(s) => match values::date_in(s, lang) {
            Ok(d) if d > today => {
                err(
                    &mut errors,
                    Column::MeasuredOn,
                    s,
                    lang.pick(
                        "tanggal ukur di masa depan",
                        "measurement date in the future",
                    ),
                );
                None
            }
            Ok(d) if birth.is_some_and(|b| d < b) => {
                err(
                    &mut errors,
                    Column::MeasuredOn,
                    s,
                    lang.pick("sebelum tanggal lahir", "before the birth date"),
                );
                None
            }
            Ok(d) => Some(d),
            Err(r) => {
                err(&mut errors, Column::MeasuredOn, s, r);
                None
            }
        },
        None if any_measure => {
            err(
                &mut errors,
                Column::MeasuredOn,
                "",
                lang.pick(
                    "wajib diisi bila ada berat/tinggi/LiLA/lingkar kepala",
                    "required when there is a weight, length, MUAC or head circumference",
                ),
            );
            None
        }
        None => None,
    };
    let method = cell(Column::Method).and_then(|s| {
        values::method_in(s, lang)
            .map_err(|r| err(&mut errors, Column::Method, s, r))
            .ok()
    });

    let (Some(name), Some(sex), Some(birth)) = (name, sex, birth) else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    if let Some(n) = &nik {
        for w in nik::check(n, sex, birth, false) {
            notes.push(RowNote {
                line,
                field: Column::Nik.name(),
                value: mask_nik(n.as_str()),
                message: lang.nik_warning(&w),
            });
        }
    }
    let weighing = match measured_on {
        Some(date) if any_measure => {
            let age_days = (date - birth).whole_days();
            let method = method.unwrap_or(if age_days < 731 {
                Measure::Lying
            } else {
                Measure::Standing
            });
            let flags = who_flags(sex, age_days, weight, length, method, arm, head);
            let mut flagged = |c: Column, v: Option<f64>, f: bool| {
                v.map(|value| {
                    if f {
                        notes.push(RowNote {
                            line,
                            field: c.name(),
                            value: format!("{value}"),
                            message: lang.pick(
                                "tidak wajar menurut WHO (z-score di luar batas): disimpan dengan tanda periksa ulang",
                                "implausible by WHO (z-score out of bounds): stored flagged to re-check",
                            ),
                        });
                    }
                    Value { value, implausible: f }
                })
            };
            Some(Weighing {
                date,
                weight_kg: flagged(Column::WeightKg, weight, flags.0),
                length_cm: flagged(Column::LengthCm, length, flags.1),
                method,
                arm_circ_cm: flagged(Column::ArmCircCm, arm, flags.2),
                head_circ_cm: flagged(Column::HeadCircCm, head, flags.3),
            })
        }
        _ => None,
    };
    let text = |c: Column| cell(c).map(str::to_owned);
    let row = RegisterRow {
        line,
        person: PersonFields {
            nik,
            name,
            sex,
            birth_date: birth,
            mother_name: text(Column::MotherName),
            mother_nik,
            address: text(Column::Address),
            rt: text(Column::Rt),
            rw: text(Column::Rw),
        },
        unit: UnitRef {
            desa_code,
            desa_name: text(Column::DesaName),
            posyandu: text(Column::Posyandu),
        },
        weighing,
    };
    Ok((row, notes))
}

/// The values of a weighing by column, for comparisons and messages.
pub fn weighing_values(w: &Weighing) -> [(Column, Option<f64>); 4] {
    let v = |x: Option<Value>| x.map(|x| x.value);
    [
        (Column::WeightKg, v(w.weight_kg)),
        (Column::LengthCm, v(w.length_cm)),
        (Column::ArmCircCm, v(w.arm_circ_cm)),
        (Column::HeadCircCm, v(w.head_circ_cm)),
    ]
}

/// A second row of the same person and day: `None` when it says exactly what the first
/// says (stored once), else the conflict naming the first differing column and both values.
pub fn weighing_conflict(
    line: u64,
    first_line: u64,
    first: &Weighing,
    w: &Weighing,
    lang: Lang,
) -> Option<RowError> {
    let (a, b) = (weighing_values(first), weighing_values(w));
    let differs = a.iter().zip(b.iter()).find(|((_, x), (_, y))| x != y);
    let same_method = first.method == w.method || w.length_cm.is_none();
    match differs {
        None if same_method => None,
        None => Some(RowError {
            line,
            field: Column::Method.name(),
            value: match w.method {
                Measure::Lying => "telentang".to_owned(),
                Measure::Standing => "berdiri".to_owned(),
            },
            reason: lang.pick(
                format!("bertentangan dengan baris {first_line} (orang dan tanggal ukur yang sama, cara ukur lain): tidak disimpan"),
                format!("contradicts line {first_line} (same person and date, another method): not stored"),
            ),
        }),
        Some(((col, x), (_, y))) => {
            let show =
                |v: &Option<f64>| v.map_or_else(|| lang.pick("kosong", "empty"), |v| v.to_string());
            Some(RowError {
                line,
                field: col.name(),
                value: show(y),
                reason: lang.pick(
                    format!(
                        "bertentangan dengan baris {first_line} ({} = {} untuk orang dan tanggal ukur yang sama): tidak disimpan",
                        col.name(),
                        show(x)
                    ),
                    format!(
                        "contradicts line {first_line} ({} = {} for the same person and date): not stored",
                        col.name(),
                        show(x)
                    ),
                ),
            })
        }
    }
}

/// The weighing with its implausibility flags computed for the person as stored (their sex
/// and birth date), never the row's.
pub fn reflag(w: &Weighing, sex: Sex, birth: Date) -> Weighing {
    let age_days = (w.date - birth).whole_days();
    let v = |x: Option<Value>| x.map(|x| x.value);
    let flags = who_flags(
        sex,
        age_days,
        v(w.weight_kg),
        v(w.length_cm),
        w.method,
        v(w.arm_circ_cm),
        v(w.head_circ_cm),
    );
    let set = |x: Option<Value>, f: bool| {
        x.map(|x| Value {
            value: x.value,
            implausible: f,
        })
    };
    Weighing {
        date: w.date,
        weight_kg: set(w.weight_kg, flags.0),
        length_cm: set(w.length_cm, flags.1),
        method: w.method,
        arm_circ_cm: set(w.arm_circ_cm, flags.2),
        head_circ_cm: set(w.head_circ_cm, flags.3),
    }
}

/// WHO biologically-implausible flags (weight, length, LiLA, head) for the child's age:
/// WHO 2006 to 1826 days, WHO 2007 to 19 years (weight ≤ 10 y). Older: none.
fn who_flags(
    sex: Sex,
    age_days: i64,
    weight: Option<f64>,
    length: Option<f64>,
    method: Measure,
    arm: Option<f64>,
    head: Option<f64>,
) -> (bool, bool, bool, bool) {
    let gsex = match sex {
        Sex::Male => growth::Sex::Male,
        Sex::Female => growth::Sex::Female,
    };
    let flag = |z: Option<growth::Zscore>| z.is_some_and(|z| z.implausible);
    if (0..=1826).contains(&age_days) {
        let z = who2006(&ChildMeasurements {
            sex: Some(gsex),
            age: Some(Age::Days(age_days as f64)),
            weight_kg: weight,
            lenhei_cm: length,
            measure: Some(method),
            armc_cm: arm,
            headc_cm: head,
            ..ChildMeasurements::default()
        });
        (
            flag(z.zwei) || flag(z.zwfl) || flag(z.zbmi),
            flag(z.zlen),
            flag(z.zac),
            flag(z.zhc),
        )
    } else if age_days < 19 * 365 {
        let z = who2007(&YouthMeasurements {
            sex: Some(gsex),
            age_months: Some(age_days as f64 / growth::DAYS_PER_MONTH),
            weight_kg: weight,
            height_cm: length,
            ..YouthMeasurements::default()
        });
        (flag(z.zwfa) || flag(z.zbfa), flag(z.zhfa), false, false)
    } else {
        (false, false, false, false)
    }
}
