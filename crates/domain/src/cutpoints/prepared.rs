//! The cut-points of a whole posyandu in one answer ("Siapkan hari buka", issue 9 item 7),
//! small enough for 3G. Two things made the per-child [`CutPoints`] large, both weight tables
//! with a row per millimetre:
//!
//! - weight-for-length/height rows depend only on sex and case (length table under 731
//!   days or height table, each as measured or with WHO's ±0.7 cm adjustment), not on the
//!   exact age: each child names a slice ([`SharedRef`]) of a table that the answer
//!   carries once ([`SharedTables`], at most 8);
//! - BMI-for-age rows depend on the age in days, so they stay per child, but [`Packed`]:
//!   one column per cut, each as its first value and then the difference from the row
//!   before (about 15–35 g per millimetre, slowly varying, which gzip shrinks well;
//!   differences by rows compressed 40 % larger, second differences twice as large).
//!
//! Unpacking is integer additions and a slice (`join` in `crates/web/static/classify.js`,
//! [`SharedTables::join`] here), so the joined cut-points are exactly the server's.
//! Posyandu Melati (495 persons, 54 balita): 1.24 MB gzip before, 92 KB after.

use std::collections::BTreeMap;
use std::iter::zip;

use serde::Serialize;

use super::tables::{WFL_KEYS, sex_index, wfl_case, wfl_case_of};
use super::{CutPoints, LenheiCuts, Table};
use crate::visit::{Position, Sex};

/// A [`Table`] packed by columns: `columns[k][0]` is the first row's cut `k` and
/// `columns[k][i]` is `rows[i][k] - rows[i - 1][k]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Packed {
    pub from_mm: i64,
    pub labels: Vec<Vec<&'static str>>,
    pub columns: Vec<Vec<i64>>,
}

impl From<&Table> for Packed {
    fn from(t: &Table) -> Self {
        let width = t.rows.first().map_or(0, Vec::len);
        let columns = (0..width)
            .map(|k| {
                let mut last = 0;
                t.rows
                    .iter()
                    .map(|r| {
                        let v = r.get(k).copied().unwrap_or(last);
                        let d = v - last;
                        last = v;
                        d
                    })
                    .collect()
            })
            .collect();
        Packed {
            from_mm: t.from_mm,
            labels: t.labels.clone(),
            columns,
        }
    }
}

impl Packed {
    /// The table back, row by row (running sums of the columns).
    pub fn unpack(&self) -> Table {
        let n = self.columns.first().map_or(0, Vec::len);
        let mut sums = vec![0; self.columns.len()];
        let rows = (0..n)
            .map(|i| {
                zip(&mut sums, &self.columns)
                    .map(|(s, c)| {
                        *s += c.get(i).copied().unwrap_or(0);
                        *s
                    })
                    .collect()
            })
            .collect();
        Table {
            from_mm: self.from_mm,
            labels: self.labels.clone(),
            rows,
        }
    }
}

/// `len` rows of the shared table `table`, from the measured length `from_mm`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SharedRef {
    pub table: &'static str,
    pub from_mm: i64,
    pub len: usize,
}

/// A child's weight-for-length/height table: named when it is a slice of the shared table
/// of its sex and case (always, for cut-points from [`super::cutpoints`] with that sex),
/// otherwise packed in place, so that any cut-points split correctly.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum WflCuts {
    Shared(SharedRef),
    Own(Packed),
}

/// One child's cut-points in the prepared day.
pub type PreparedCuts = CutPoints<WflCuts, Packed>;

/// The shared tables named by the children split so far, each once, by key.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct SharedTables(BTreeMap<&'static str, Packed>);

impl SharedTables {
    /// `cp` (of a child of `sex`) with its weight-for-length/height slices named and its
    /// BMI tables packed; the shared tables it names are added to `self`.
    pub fn split(&mut self, sex: Sex, cp: CutPoints) -> PreparedCuts {
        let lenhei = cp
            .lenhei
            .into_iter()
            .map(|l| {
                let position = if l.position == "h" {
                    Position::Standing
                } else {
                    Position::Lying
                };
                let case = wfl_case_of(cp.age_days, position);
                let shared = &wfl_case(sex, case).0;
                let wfl = if is_slice(&l.wfl, shared) {
                    let key = WFL_KEYS[sex_index(sex)][case];
                    self.0.entry(key).or_insert_with(|| Packed::from(shared));
                    WflCuts::Shared(SharedRef {
                        table: key,
                        from_mm: l.wfl.from_mm,
                        len: l.wfl.rows.len(),
                    })
                } else {
                    WflCuts::Own(Packed::from(&l.wfl))
                };
                LenheiCuts {
                    position: l.position,
                    lfa: l.lfa,
                    shrink: l.shrink,
                    wfl,
                    bmi: Packed::from(&l.bmi),
                }
            })
            .collect();
        CutPoints {
            age_days: cp.age_days,
            age_months: cp.age_months,
            max: cp.max,
            standard_position: cp.standard_position,
            wfa: cp.wfa,
            bgm: cp.bgm,
            faltering: cp.faltering,
            kms: cp.kms,
            weight_change: cp.weight_change,
            lenhei,
            head: cp.head,
            muac_sam: cp.muac_sam,
            zac: cp.zac,
        }
    }

    /// The full cut-points of a split child, as `join` in classify.js builds them; `None`
    /// when it names a table not in `self`.
    pub fn join(&self, p: &PreparedCuts) -> Option<CutPoints> {
        let lenhei = p
            .lenhei
            .iter()
            .map(|l| {
                let wfl = match &l.wfl {
                    WflCuts::Own(t) => t.unpack(),
                    WflCuts::Shared(r) => {
                        let t = self.0.get(r.table)?.unpack();
                        let rows = if r.len == 0 {
                            vec![]
                        } else {
                            let at = usize::try_from(r.from_mm - t.from_mm).ok()?;
                            t.rows.get(at..at + r.len)?.to_vec()
                        };
                        Table {
                            from_mm: r.from_mm,
                            labels: t.labels,
                            rows,
                        }
                    }
                };
                Some(LenheiCuts {
                    position: l.position,
                    lfa: l.lfa.clone(),
                    shrink: l.shrink.clone(),
                    wfl,
                    bmi: l.bmi.unpack(),
                })
            })
            .collect::<Option<_>>()?;
        Some(CutPoints {
            age_days: p.age_days,
            age_months: p.age_months,
            max: p.max,
            standard_position: p.standard_position,
            wfa: p.wfa.clone(),
            bgm: p.bgm.clone(),
            faltering: p.faltering.clone(),
            kms: p.kms.clone(),
            weight_change: p.weight_change.clone(),
            lenhei,
            head: p.head.clone(),
            muac_sam: p.muac_sam.clone(),
            zac: p.zac.clone(),
        })
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Whether `t` is `shared` restricted to `t`'s rows (an empty `t` is any table's slice).
fn is_slice(t: &Table, shared: &Table) -> bool {
    if t.labels != shared.labels {
        return false;
    }
    if t.rows.is_empty() {
        return true;
    }
    usize::try_from(t.from_mm - shared.from_mm)
        .ok()
        .and_then(|at| shared.rows.get(at..at + t.rows.len()))
        .is_some_and(|rows| rows == t.rows.as_slice())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::Settings;
    use crate::cutpoints::{CutInput, cutpoints};
    use time::{Date, Duration, macros::date};

    fn cuts(sex: Sex, birth: Date, days: i64) -> CutPoints {
        let input = CutInput {
            sex,
            birth_date: birth,
            visit_date: birth + Duration::days(days),
            previous_weighings: None,
            previous_length: None,
            settings: &Settings::default(),
        };
        cutpoints(&input).unwrap()
    }

    #[test]
    fn split_then_join_gives_the_cut_points_back() {
        let birth = date!(2022 - 01 - 31);
        let mut tables = SharedTables::default();
        for sex in [Sex::Male, Sex::Female] {
            for days in [0i64, 100, 270, 400, 730, 731, 1200, 1826] {
                let cp = cuts(sex, birth, days);
                let p = tables.split(sex, cp.clone());
                assert!(p.lenhei.iter().all(|l| matches!(l.wfl, WflCuts::Shared(_))));
                assert_eq!(tables.join(&p).as_ref(), Some(&cp), "{sex:?} {days}");
                // Split as the other sex: not slices of its shared tables, so kept in place.
                let other = if sex == Sex::Male {
                    Sex::Female
                } else {
                    Sex::Male
                };
                let mut t = SharedTables::default();
                let q = t.split(other, cp.clone());
                assert!(q.lenhei.iter().all(|l| matches!(l.wfl, WflCuts::Own(_))));
                assert_eq!(t.join(&q).as_ref(), Some(&cp));
            }
        }
        // Both sexes, all four cases, each once.
        assert_eq!(tables.len(), 8);
        let p = tables.split(Sex::Male, cuts(Sex::Male, birth, 50));
        assert_eq!(
            SharedTables::default().join(&p),
            None,
            "names a missing table"
        );
    }
}
