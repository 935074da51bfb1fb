//! Which life-cycle group a person is in on a service day, and so which form the kader
//! fills in (step 2: measurements and questionnaires) and which services are offered
//! (step 4). Groups follow rules.md §0 (KMK HK.01.07/2015/2023, Posyandu ILP clusters);
//! services follow domain.md §"Vitamin A, obat cacing" and the TTD programme.

use serde::Serialize;
use time::{Date, Month};

use crate::age::Age;
use crate::engine::MAX_AGE_YEARS;
use crate::visit::Sex;

/// The form's group. A pregnant or postpartum woman gets the maternal form whatever her age.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// 0–59 months (`age_days ≤ 1826`).
    Balita,
    /// Pregnant (sex F, ≥ 10 y, an open pregnancy).
    IbuHamil,
    /// Postpartum, 0–42 days after delivery (sex F, ≥ 10 y).
    IbuNifas,
    /// 5–14 years: school age.
    UsiaSekolah,
    /// 15–18 years.
    Remaja,
    /// 19–59 years.
    Dewasa,
    /// 60 years and older.
    Lansia,
}

impl Group {
    /// The code used in i18n keys and the API (`group-balita`).
    pub fn code(self) -> &'static str {
        match self {
            Group::Balita => "balita",
            Group::IbuHamil => "ibu_hamil",
            Group::IbuNifas => "ibu_nifas",
            Group::UsiaSekolah => "usia_sekolah",
            Group::Remaja => "remaja",
            Group::Dewasa => "dewasa",
            Group::Lansia => "lansia",
        }
    }
}

/// A measurement field of the step-2 form, named as in the `posyandu screen` contract.
pub type Field = &'static str;

/// A questionnaire of the step-2 form (rules.md §8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Questionnaire {
    TbSymptoms,
    Srq20,
    Puma,
    Barthel,
    Skilas,
}

impl Questionnaire {
    /// The readings key its answers go under (`posyandu screen`'s input, rules.md §8).
    pub fn code(self) -> &'static str {
        match self {
            Self::TbSymptoms => "tb_symptoms",
            Self::Srq20 => "srq20",
            Self::Puma => "puma",
            Self::Barthel => "barthel",
            Self::Skilas => "skilas",
        }
    }

    /// Every questionnaire, in the form's order.
    pub const ALL: [Self; 5] = [
        Self::TbSymptoms,
        Self::Srq20,
        Self::Puma,
        Self::Barthel,
        Self::Skilas,
    ];
}

/// What step 2 asks of one person on one day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Form {
    pub group: Group,
    pub fields: Vec<Field>,
    pub questionnaires: Vec<Questionnaire>,
}

/// The group of a person on `day`; `None` when the dates give no valid age.
pub fn group(
    sex: Sex,
    birth: Date,
    day: Date,
    pregnant: bool,
    postpartum_days: Option<u32>,
) -> Option<Group> {
    let age = Age::at(birth, day).filter(|a| a.years <= MAX_AGE_YEARS)?;
    let woman = sex == Sex::Female && age.years >= 10;
    Some(if woman && pregnant {
        Group::IbuHamil
    } else if woman && postpartum_days.is_some_and(|d| d <= 42) {
        Group::IbuNifas
    } else if age.is_balita() {
        Group::Balita
    } else if age.years < 15 {
        Group::UsiaSekolah
    } else if age.years <= 18 {
        Group::Remaja
    } else if age.years < 60 {
        Group::Dewasa
    } else {
        Group::Lansia
    })
}

/// The step-2 form of a group: the measurements its rules read (rules.md §1–§7) and the
/// questionnaires due (§8: TB symptoms for everyone, SRQ-20 from 15 y, PUMA from 40 y,
/// ADL and SKILAS for lansia).
pub fn form(group: Group, age_years: i32) -> Form {
    use Group::*;
    let fields: Vec<Field> = match group {
        Balita => vec!["weight_kg", "lenhei_cm", "head_cm", "muac_cm", "oedema"],
        IbuHamil => vec!["weight_kg", "muac_cm", "systolic", "diastolic", "hb"],
        IbuNifas => vec!["weight_kg", "muac_cm", "systolic", "diastolic", "hb"],
        UsiaSekolah | Remaja => vec!["weight_kg", "lenhei_cm", "systolic", "diastolic", "hb"],
        Dewasa | Lansia => vec![
            "weight_kg",
            "lenhei_cm",
            "waist_cm",
            "systolic",
            "diastolic",
            "glucose_random",
            "cholesterol",
            "hb",
        ],
    };
    let mut questionnaires = vec![Questionnaire::TbSymptoms];
    if age_years >= 15 {
        questionnaires.push(Questionnaire::Srq20);
    }
    if age_years >= 40 {
        questionnaires.push(Questionnaire::Puma);
    }
    if group == Lansia {
        questionnaires.extend([Questionnaire::Barthel, Questionnaire::Skilas]);
    }
    Form {
        group,
        fields,
        questionnaires,
    }
}

/// Vitamin A capsule due on `day` for a balita: blue (100,000 IU) at 6–11 months, red
/// (200,000 IU) at 12–59 months, in the vitamin A months February and August (domain.md,
/// Kemenkes *Pedoman Pemberian Vitamin A*).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VitaminA {
    Blue,
    Red,
}

impl VitaminA {
    pub fn code(self) -> &'static str {
        match self {
            VitaminA::Blue => "biru",
            VitaminA::Red => "merah",
        }
    }
}

pub fn vitamin_a_due(age: Age, day: Date) -> Option<VitaminA> {
    if !matches!(day.month(), Month::February | Month::August) {
        return None;
    }
    match age.months {
        6..=11 => Some(VitaminA::Blue),
        12..=59 => Some(VitaminA::Red),
        _ => None,
    }
}

/// Deworming (obat cacing) offered to children 12–59 months in August, the month of the
/// yearly round (domain.md: at least once a year, in August).
pub fn deworming_due(age: Age, day: Date) -> bool {
    day.month() == Month::August && (12..=59).contains(&age.months)
}

/// Iron tablets (TTD: 60 mg Fe + 400 µg folate, KMK2023) are given to pregnant women and
/// to adolescent girls 12–18 years (the TTD remaja putri programme).
pub fn iron_tablets_offered(group: Group, sex: Sex, age: Age) -> bool {
    group == Group::IbuHamil || (sex == Sex::Female && (12..=18).contains(&age.years))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn questionnaire_codes_are_their_serde_names() {
        for q in Questionnaire::ALL {
            assert_eq!(
                serde_json::to_value(q).unwrap(),
                serde_json::json!(q.code())
            );
        }
    }

    #[test]
    fn groups_follow_age_sex_and_pregnancy() {
        let day = date!(2026 - 08 - 10);
        let cases = [
            (Sex::Male, date!(2026 - 01 - 01), false, None, Group::Balita),
            (Sex::Male, date!(2021 - 08 - 11), false, None, Group::Balita),
            (
                Sex::Male,
                date!(2021 - 08 - 09),
                false,
                None,
                Group::UsiaSekolah,
            ),
            (
                Sex::Female,
                date!(2011 - 08 - 11),
                false,
                None,
                Group::UsiaSekolah,
            ),
            (
                Sex::Female,
                date!(2011 - 08 - 10),
                false,
                None,
                Group::Remaja,
            ),
            (
                Sex::Female,
                date!(2007 - 08 - 11),
                false,
                None,
                Group::Remaja,
            ),
            (
                Sex::Female,
                date!(2007 - 08 - 10),
                false,
                None,
                Group::Dewasa,
            ),
            (Sex::Male, date!(1966 - 08 - 11), false, None, Group::Dewasa),
            (Sex::Male, date!(1966 - 08 - 10), false, None, Group::Lansia),
            (
                Sex::Female,
                date!(2000 - 01 - 01),
                true,
                None,
                Group::IbuHamil,
            ),
            (
                Sex::Female,
                date!(2000 - 01 - 01),
                false,
                Some(42),
                Group::IbuNifas,
            ),
            (
                Sex::Female,
                date!(2000 - 01 - 01),
                false,
                Some(43),
                Group::Dewasa,
            ),
            // A pregnancy recorded on a man or a child under 10 does not count (rules.md §0).
            (Sex::Male, date!(2000 - 01 - 01), true, None, Group::Dewasa),
        ];
        for (sex, birth, pregnant, pp, want) in cases {
            assert_eq!(group(sex, birth, day, pregnant, pp), Some(want), "{birth}");
        }
        assert_eq!(
            group(Sex::Male, date!(2027 - 01 - 01), day, false, None),
            None
        );
    }

    #[test]
    fn forms_ask_what_the_groups_rules_read() {
        let b = form(Group::Balita, 1);
        assert!(b.fields.contains(&"lenhei_cm") && b.fields.contains(&"head_cm"));
        assert_eq!(b.questionnaires, vec![Questionnaire::TbSymptoms]);
        let l = form(Group::Lansia, 70);
        assert!(l.fields.contains(&"systolic") && l.fields.contains(&"glucose_random"));
        assert!(l.questionnaires.contains(&Questionnaire::Skilas));
        assert!(l.questionnaires.contains(&Questionnaire::Puma));
        let d = form(Group::Dewasa, 39);
        assert!(!d.questionnaires.contains(&Questionnaire::Puma));
        assert!(d.questionnaires.contains(&Questionnaire::Srq20));
    }

    #[test]
    fn vitamin_a_and_deworming_in_their_months_and_ages() {
        let age = |months: i64| Age {
            days: months * 31,
            months,
            years: (months / 12) as i32,
        };
        let feb = date!(2026 - 02 - 15);
        let mar = date!(2026 - 03 - 15);
        let aug = date!(2026 - 08 - 15);
        assert_eq!(vitamin_a_due(age(5), feb), None);
        assert_eq!(vitamin_a_due(age(6), feb), Some(VitaminA::Blue));
        assert_eq!(vitamin_a_due(age(11), aug), Some(VitaminA::Blue));
        assert_eq!(vitamin_a_due(age(12), aug), Some(VitaminA::Red));
        assert_eq!(vitamin_a_due(age(59), feb), Some(VitaminA::Red));
        assert_eq!(vitamin_a_due(age(60), feb), None);
        assert_eq!(vitamin_a_due(age(24), mar), None);
        assert!(deworming_due(age(12), aug) && !deworming_due(age(11), aug));
        assert!(!deworming_due(age(24), feb));
    }

    #[test]
    fn iron_tablets_for_pregnant_women_and_adolescent_girls() {
        let a = |years| Age {
            days: 365 * i64::from(years),
            months: 12 * i64::from(years),
            years,
        };
        assert!(iron_tablets_offered(Group::IbuHamil, Sex::Female, a(30)));
        assert!(iron_tablets_offered(Group::Remaja, Sex::Female, a(15)));
        assert!(iron_tablets_offered(Group::UsiaSekolah, Sex::Female, a(12)));
        assert!(!iron_tablets_offered(
            Group::UsiaSekolah,
            Sex::Female,
            a(11)
        ));
        assert!(!iron_tablets_offered(Group::Remaja, Sex::Male, a(15)));
        assert!(!iron_tablets_offered(Group::Dewasa, Sex::Female, a(19)));
    }
}
