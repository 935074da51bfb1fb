//! Clinical rules, KMS growth status and the national immunization schedule. Pure: no I/O,
//! no clock ("today" is the visit date).
//!
//! The catalogue ([`catalogue`]) holds every finding code with its action, label and source;
//! each rule module implements one group of `shared/design/rules.md`; [`engine::screen`]
//! runs them for one visit and [`screen::screen_line`] is the JSON Lines contract of
//! `posyandu screen`.

pub mod age;
pub mod anemia;
pub mod anthro;
pub mod catalogue;
pub mod cutpoints;
pub mod engine;
pub mod growth_chart;
pub mod immunization;
pub mod immunization_card;
pub mod kms;
pub mod lifecycle;
pub mod maternal;
pub mod metabolic;
pub mod questionnaires;
pub mod rules_doc;
pub mod screen;
pub mod settings;
pub mod visit;

pub use catalogue::{Action, Rule};
pub use engine::{Screening, screen};
pub use settings::Settings;
pub use visit::{Measurements, Position, Sex, Visit, Weighing};
