//! Facts of the persons who are not balita: pregnant women of the month and those served
//! from the other life-cycle groups, with the findings the service day stored for them
//! (rules.md §5–§8). Counted by sex; the age bands are the balita's only.

use std::collections::{HashMap, HashSet};

use domain::age::Age;
use store::{Finding, Person, PersonId, Pregnancy, Screening};
use time::Date;

use super::facts::{PersonFacts, month_end};
use crate::targets::next_month;

/// The rows these facts read.
#[derive(Debug, Clone, Default)]
pub struct GroupRows {
    /// Persons registered under the unit with a visit in the month.
    pub visitors: Vec<Person>,
    /// Registered women with a pregnancy (any state) and those pregnancies.
    pub pregnant: Vec<(Person, Vec<Pregnancy>)>,
    /// Findings in the month with one of [`group_finding_codes`].
    pub findings: Vec<Finding>,
    /// The services of step 4 in the month (`LAYANAN`).
    pub services: Vec<Screening>,
}

/// A life-cycle group's indicator and the findings that count in it.
pub struct Positive {
    pub indicator: &'static str,
    pub findings: &'static [&'static str],
}

const HYPERTENSION: &[&str] = &[
    "hypertension_grade1",
    "hypertension_grade2",
    "hypertension_grade3",
    "hypertension_isolated_systolic",
];
const DIABETES: &[&str] = &["glucose_random_diabetes", "glucose_fasting_diabetes"];
const OBESE: &[&str] = &["bmi_obese", "bmi_obese_1", "bmi_obese_2"];
const ADULT_TB: &[&str] = &["tb_presumptive_adult"];

const fn p(indicator: &'static str, findings: &'static [&'static str]) -> Positive {
    Positive {
        indicator,
        findings,
    }
}

/// A life-cycle group by age in years on the month's last day: its "served" indicator
/// and its positives.
pub struct Group {
    pub years: (i64, i64),
    pub served: &'static str,
    pub positives: &'static [Positive],
}

/// The groups, youngest first.
pub const POSITIVES: &[Group] = &[
    Group {
        years: (5, 18),
        served: "remaja_dilayani",
        positives: &[
            p(
                "remaja_hipertensi",
                &[
                    "hypertension_stage1_adolescent",
                    "hypertension_stage2_adolescent",
                ],
            ),
            p("remaja_obesitas", &["bfa_obese"]),
            p(
                "remaja_anemia",
                &["anemia_mild", "anemia_moderate", "anemia_severe"],
            ),
            p("remaja_srq", &["srq20_positive"]),
            p(
                "remaja_tb",
                &["tb_presumptive_child", "tb_presumptive_adult"],
            ),
        ],
    },
    Group {
        years: (19, 59),
        served: "dewasa_dilayani",
        positives: &[
            p("dewasa_hipertensi", HYPERTENSION),
            p("dewasa_diabetes", DIABETES),
            p("dewasa_obesitas", OBESE),
            p("dewasa_obesitas_sentral", &["central_obesity"]),
            p("dewasa_srq", &["srq20_positive"]),
            p("dewasa_puma", &["puma_high_risk"]),
            p("dewasa_tb", ADULT_TB),
        ],
    },
    Group {
        years: (60, i64::MAX),
        served: "lansia_dilayani",
        positives: &[
            p("lansia_hipertensi", HYPERTENSION),
            p("lansia_diabetes", DIABETES),
            p("lansia_obesitas", OBESE),
            p("lansia_obesitas_sentral", &["central_obesity"]),
            p("lansia_srq", &["srq20_positive"]),
            p("lansia_puma", &["puma_high_risk"]),
            p("lansia_tb", ADULT_TB),
            p(
                "lansia_skilas",
                &[
                    "skilas_cognitive",
                    "skilas_mobility",
                    "skilas_malnutrition",
                    "skilas_vision",
                    "skilas_hearing",
                    "skilas_depression",
                ],
            ),
            p(
                "lansia_adl",
                &[
                    "adl_mild_dependency",
                    "adl_moderate_dependency",
                    "adl_severe_dependency",
                    "adl_total_dependency",
                ],
            ),
        ],
    },
];

/// A pregnant woman's findings and what they count in.
const MATERNAL: &[(&str, &str)] = &[
    ("kek", "bumil_kek"),
    ("anemia_pregnancy", "bumil_anemia"),
    ("hypertension_maternal", "bumil_hipertensi"),
    ("kspr_krt", "bumil_krt"),
    ("kspr_krst", "bumil_krst"),
];

/// Every finding code these facts read.
pub fn group_finding_codes() -> Vec<&'static str> {
    let mut out: Vec<&str> = MATERNAL.iter().map(|(f, _)| *f).collect();
    for g in POSITIVES {
        for p in g.positives {
            out.extend(p.findings.iter().copied());
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Whether the pregnancy runs during the month: begun (HPHT) by its last day, not ended
/// before its first.
fn runs_in(p: &Pregnancy, month: Date, end: Date) -> bool {
    let begun = p.lmp.is_none_or(|lmp| lmp <= end);
    let ended_before = p.outcome.is_some() && p.outcome_date.is_none_or(|d| d < month);
    begun && !ended_before
}

/// The facts of the month's pregnant women and of those served from the other groups.
pub fn group_facts(month: Date, rows: &GroupRows) -> Vec<PersonFacts> {
    let end = month_end(month);
    let next = next_month(month);
    let in_month = |d: Date| d >= month && d < next;
    let mut found: HashMap<PersonId, HashSet<&str>> = HashMap::new();
    for f in rows.findings.iter().filter(|f| in_month(f.found_on)) {
        found
            .entry(f.person_id)
            .or_default()
            .insert(f.code.as_str());
    }
    let ttd: HashSet<PersonId> = rows
        .services
        .iter()
        .filter(|s| in_month(s.answered_on))
        .filter(|s| {
            s.answers
                .get("ttd")
                .and_then(|v| v.as_i64())
                .is_some_and(|n| n > 0)
        })
        .map(|s| s.person_id)
        .collect();
    let visited: HashSet<PersonId> = rows.visitors.iter().map(|p| p.id).collect();
    let has = |p: PersonId, code: &str| found.get(&p).is_some_and(|c| c.contains(code));
    let mut out = Vec::new();
    for (woman, pregnancies) in &rows.pregnant {
        if !pregnancies.iter().any(|p| runs_in(p, month, end)) {
            continue;
        }
        let id = woman.id;
        let mut codes = vec!["bumil"];
        if visited.contains(&id) {
            codes.push("bumil_dilayani");
        }
        for (finding, indicator) in MATERNAL {
            if has(id, finding) {
                codes.push(indicator);
            }
        }
        if ttd.contains(&id) {
            codes.push("bumil_ttd");
        }
        out.push(PersonFacts {
            person: id,
            unit: woman.org_unit_id,
            sex: woman.sex,
            band: None,
            codes,
        });
    }
    for v in &rows.visitors {
        let Some(age) = Age::at(v.birth_date, end) else {
            continue;
        };
        let years = i64::from(age.years);
        let Some(group) = POSITIVES
            .iter()
            .find(|g| (g.years.0..=g.years.1).contains(&years))
        else {
            continue;
        };
        let mut codes = vec![group.served];
        for p in group.positives {
            if p.findings.iter().any(|f| has(v.id, f)) {
                codes.push(p.indicator);
            }
        }
        out.push(PersonFacts {
            person: v.id,
            unit: v.org_unit_id,
            sex: v.sex,
            band: None,
            codes,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monthly::indicators::by_code;

    #[test]
    fn every_group_indicator_is_in_the_catalogue() {
        let mut codes: Vec<&str> = MATERNAL.iter().map(|(_, i)| *i).collect();
        for g in POSITIVES {
            codes.push(g.served);
            codes.extend(g.positives.iter().map(|p| p.indicator));
        }
        codes.extend(["bumil", "bumil_dilayani", "bumil_ttd"]);
        for c in codes {
            assert!(by_code(c).is_some_and(|i| i.is_count()), "{c}");
        }
        for f in group_finding_codes() {
            assert!(domain::catalogue::by_code(f).is_some(), "{f} is not a rule");
        }
    }
}
