//! The language of the parser's reasons and notes: Bahasa Indonesia (default) or English,
//! as `posyandu import --lang` asks.

use store::model::Sex;
use store::nik::{NikError, NikWarning};

/// Language of messages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    #[default]
    Id,
    En,
}

impl Lang {
    /// The Indonesian or the English text.
    pub fn pick(self, id: impl Into<String>, en: impl Into<String>) -> String {
        match self {
            Lang::Id => id.into(),
            Lang::En => en.into(),
        }
    }

    /// Why a NIK cell was refused (never the digits).
    pub fn nik_error(self, e: &NikError) -> String {
        match (self, e) {
            (Lang::Id, e) => e.to_string(),
            (Lang::En, NikError::WrongLength(n)) => {
                format!("a NIK has 16 digits, got {n} characters")
            }
            (Lang::En, NikError::NotDigit(i)) => {
                format!("a NIK has digits only (character {i} is not a digit)")
            }
        }
    }

    /// A NIK consistency note.
    pub fn nik_warning(self, w: &NikWarning) -> String {
        match (self, w) {
            (Lang::Id, w) => w.message(),
            (Lang::En, NikWarning::UnknownRegion { region }) => {
                format!("NIK region code {region} is not in the current list of kecamatan")
            }
            (Lang::En, NikWarning::ImpossibleBirthDate) => {
                "the birth date part of the NIK is not a date".into()
            }
            (Lang::En, NikWarning::SexMismatch { nik_says }) => format!(
                "the NIK says {}, unlike the record",
                match nik_says {
                    Sex::Male => "male",
                    Sex::Female => "female",
                }
            ),
            (Lang::En, NikWarning::BirthDateMismatch) => {
                "the birth date in the NIK differs from the record".into()
            }
            (Lang::En, NikWarning::ZeroSerial) => "NIK serial number 0000 is never issued".into(),
        }
    }
}
