//! Named choices where sources conflict (rules.md §10). Defaults follow the catalogue;
//! `posyandu screen --setting key=value` overrides one.

use thiserror::Error;

/// Which months get the 300 g KBM band (domain §10 #1 U).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KbmBand300 {
    /// 7–10 months 300 g, 200 g from 11 (field Excel's merged cells). Default.
    Months7To10,
    /// 7–11 months 300 g, 200 g from 12.
    Months7To11,
}

/// How weight faltering is detected (rules.md §2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WeightFalteringMethod {
    /// Fall of more than 0.67 SD WAZ (one major centile space). Default.
    WazDrop,
}

/// Adult BMI cut-offs (domain §3.7).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdultBmiScale {
    /// WHO 2000 Asia-Pacific, used by KMK2023 (§3.7 C). Default.
    AsiaPacific,
    /// Older Depkes/P2PTM scale (§3.7 S).
    Depkes,
}

/// Which doses make up "imunisasi dasar lengkap" / "baduta lengkap" (rules.md §9).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScheduleSet {
    /// KMK2023 schedule with PCV, RV and IPV2. Default.
    Post2022,
    /// PMK 12/2017 definition (§4 S).
    Pmk12_2017,
}

/// Every setting of rules.md §10, with its default.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// KBM at 3 months, grams: 800 (KIA2023) or 600 (field Excel).
    pub kbm_month3_g: u32,
    pub kbm_band_300: KbmBand300,
    pub weight_faltering_method: WeightFalteringMethod,
    /// The KMS red line as a WAZ (−3 assumed, domain §10 #2 U).
    pub bgm_waz: f64,
    pub adult_bmi_scale: AdultBmiScale,
    /// Age from which adult BMI applies: 19 (IMT/U runs to 18 y) or 18.
    pub adult_bmi_min_years: i32,
    /// Age from which adult BP categories apply: 18 (AAP 2017 below) or 15 (KMK2023 target).
    pub bp_adult_min_years: i32,
    /// PUMA score at or above which COPD risk is high: 6 (KMK2023) or 8 (">7").
    pub puma_cutoff: u32,
    /// Age from which SRQ-20 is scored: 15 (KMK2023 sasaran) or 19 (">18 tahun").
    pub srq20_min_years: i32,
    /// Hb cut-off (g/dL) in trimester II: 10.5 (KMK2023 PPK) or 11.0 (WHO 2011).
    pub hb_pregnancy_tm2: f64,
    /// Balita MUAC cut-off for severe acute malnutrition (domain §10 #10 U).
    pub muac_sam_cm: f64,
    /// Whether the kabupaten gives JE.
    pub je_endemic: bool,
    pub idl_set: ScheduleSet,
    pub baduta_set: ScheduleSet,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            kbm_month3_g: 800,
            kbm_band_300: KbmBand300::Months7To10,
            weight_faltering_method: WeightFalteringMethod::WazDrop,
            bgm_waz: -3.0,
            adult_bmi_scale: AdultBmiScale::AsiaPacific,
            adult_bmi_min_years: 19,
            bp_adult_min_years: 18,
            puma_cutoff: 6,
            srq20_min_years: 15,
            hb_pregnancy_tm2: 10.5,
            muac_sam_cm: 11.5,
            je_endemic: false,
            idl_set: ScheduleSet::Post2022,
            baduta_set: ScheduleSet::Post2022,
        }
    }
}

/// A `--setting` that cannot be applied.
#[derive(Debug, Error, PartialEq)]
pub enum SettingError {
    #[error("setting `{0}` harus berbentuk kunci=nilai")]
    Malformed(String),
    #[error("setting tidak dikenal: `{0}`")]
    UnknownKey(String),
    #[error("nilai `{value}` tidak berlaku untuk setting `{key}`; pilihan: {allowed}")]
    BadValue {
        key: String,
        value: String,
        allowed: &'static str,
    },
    #[error("setting `{key}={value}` belum tersedia: tabel WHO weight-increment belum disertakan")]
    Unavailable { key: String, value: String },
}

/// Every setting key, in rules.md §10 order.
pub const KEYS: [&str; 14] = [
    "kbm_month3_g",
    "kbm_band_300",
    "weight_faltering_method",
    "bgm_waz",
    "adult_bmi_scale",
    "adult_bmi_min_years",
    "bp_adult_min_years",
    "puma_cutoff",
    "srq20_min_years",
    "hb_pregnancy_tm2",
    "muac_sam_cm",
    "je_endemic",
    "idl_set",
    "baduta_set",
];

impl Settings {
    /// Apply one `key=value` override.
    pub fn apply(&mut self, pair: &str) -> Result<(), SettingError> {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| SettingError::Malformed(pair.to_owned()))?;
        self.set(key.trim(), value.trim())
    }

    /// Set one setting by name. Only the values rules.md §10 documents are accepted.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), SettingError> {
        let bad = |allowed: &'static str| SettingError::BadValue {
            key: key.to_owned(),
            value: value.to_owned(),
            allowed,
        };
        // Numbers may be written 11, 11.0 or 11,0 (decimal comma) and −3 with a minus sign.
        let number = value
            .replace(',', ".")
            .replace('−', "-")
            .parse::<f64>()
            .ok();
        let one_of = |choices: &[f64]| number.filter(|n| choices.contains(n));
        match key {
            "kbm_month3_g" => {
                self.kbm_month3_g = match one_of(&[800.0, 600.0]) {
                    Some(n) => n as u32,
                    None => return Err(bad("800, 600")),
                }
            }
            "kbm_band_300" => {
                self.kbm_band_300 = match value.replace('–', "-").as_str() {
                    "7-10" => KbmBand300::Months7To10,
                    "7-11" => KbmBand300::Months7To11,
                    _ => return Err(bad("7-10, 7-11")),
                }
            }
            "weight_faltering_method" => match value {
                "waz_drop" => self.weight_faltering_method = WeightFalteringMethod::WazDrop,
                "who_increment_p5" => {
                    return Err(SettingError::Unavailable {
                        key: key.to_owned(),
                        value: value.to_owned(),
                    });
                }
                _ => return Err(bad("waz_drop, who_increment_p5")),
            },
            "bgm_waz" => {
                self.bgm_waz = match one_of(&[-3.0]) {
                    Some(n) => n,
                    None => return Err(bad("-3")),
                }
            }
            "adult_bmi_scale" => {
                self.adult_bmi_scale = match value {
                    "asia_pacific" => AdultBmiScale::AsiaPacific,
                    "depkes" => AdultBmiScale::Depkes,
                    _ => return Err(bad("asia_pacific, depkes")),
                }
            }
            "adult_bmi_min_years" => {
                self.adult_bmi_min_years = match one_of(&[19.0, 18.0]) {
                    Some(n) => n as i32,
                    None => return Err(bad("19, 18")),
                }
            }
            "bp_adult_min_years" => {
                self.bp_adult_min_years = match one_of(&[18.0, 15.0]) {
                    Some(n) => n as i32,
                    None => return Err(bad("18, 15")),
                }
            }
            "puma_cutoff" => {
                self.puma_cutoff = match one_of(&[6.0, 8.0]) {
                    Some(n) => n as u32,
                    None => return Err(bad("6, 8")),
                }
            }
            "srq20_min_years" => {
                self.srq20_min_years = match one_of(&[15.0, 19.0]) {
                    Some(n) => n as i32,
                    None => return Err(bad("15, 19")),
                }
            }
            "hb_pregnancy_tm2" => {
                self.hb_pregnancy_tm2 = match one_of(&[10.5, 11.0]) {
                    Some(n) => n,
                    None => return Err(bad("10.5, 11.0")),
                }
            }
            "muac_sam_cm" => {
                self.muac_sam_cm = match one_of(&[11.5]) {
                    Some(n) => n,
                    None => return Err(bad("11.5")),
                }
            }
            "je_endemic" => {
                self.je_endemic = match value {
                    "false" => false,
                    "true" => true,
                    _ => return Err(bad("false, true")),
                }
            }
            "idl_set" | "baduta_set" => {
                let set = match value {
                    "post2022" => ScheduleSet::Post2022,
                    "pmk12_2017" => ScheduleSet::Pmk12_2017,
                    _ => return Err(bad("post2022, pmk12_2017")),
                };
                if key == "idl_set" {
                    self.idl_set = set;
                } else {
                    self.baduta_set = set;
                }
            }
            _ => return Err(SettingError::UnknownKey(key.to_owned())),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn every_key_accepts_its_documented_values() {
        let cases = [
            ("kbm_month3_g", "600"),
            ("kbm_band_300", "7-11"),
            ("weight_faltering_method", "waz_drop"),
            ("bgm_waz", "−3.0"),
            ("adult_bmi_scale", "depkes"),
            ("adult_bmi_min_years", "18"),
            ("bp_adult_min_years", "15"),
            ("puma_cutoff", "8"),
            ("srq20_min_years", "19"),
            ("hb_pregnancy_tm2", "11,0"),
            ("muac_sam_cm", "11.5"),
            ("je_endemic", "true"),
            ("idl_set", "pmk12_2017"),
            ("baduta_set", "pmk12_2017"),
        ];
        assert_eq!(cases.len(), KEYS.len());
        let mut s = Settings::default();
        for (k, v) in cases {
            s.apply(&format!("{k}={v}")).unwrap();
        }
        assert_eq!(s.kbm_month3_g, 600);
        assert_eq!(s.kbm_band_300, KbmBand300::Months7To11);
        assert_eq!(s.adult_bmi_scale, AdultBmiScale::Depkes);
        assert_eq!(s.adult_bmi_min_years, 18);
        assert_eq!(s.bp_adult_min_years, 15);
        assert_eq!(s.puma_cutoff, 8);
        assert_eq!(s.srq20_min_years, 19);
        assert_eq!(s.hb_pregnancy_tm2, 11.0);
        assert!(s.je_endemic);
        assert_eq!(s.idl_set, ScheduleSet::Pmk12_2017);
        assert_eq!(s.baduta_set, ScheduleSet::Pmk12_2017);
    }

    #[test]
    fn bad_settings_are_errors() {
        let mut s = Settings::default();
        assert!(matches!(
            s.apply("je_endemic"),
            Err(SettingError::Malformed(_))
        ));
        assert!(matches!(
            s.apply("nope=1"),
            Err(SettingError::UnknownKey(_))
        ));
        assert!(matches!(
            s.apply("puma_cutoff=7"),
            Err(SettingError::BadValue { .. })
        ));
        assert!(matches!(
            s.apply("weight_faltering_method=who_increment_p5"),
            Err(SettingError::Unavailable { .. })
        ));
        assert_eq!(s, Settings::default());
    }
}
