//! `/orang/{person}`: the person's record as a cadre, a midwife or a mother reads it, on a
//! 360 px phone or printed. Everything comes from [`super::record::load`]; this module only
//! turns it into lines of text in the user's language.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use domain::immunization_card::DoseState;
use store::{Measurement, Referral, Screening, Sex};
use time::Date;

use super::record::{PersonRecord, load};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::day::DayError;
use crate::day::pages::{fail, long_date};
use crate::i18n::{self, Tr};
use crate::pages::Layout;

/// A line of the page: its text and a CSS class (`late`, `ok`, `warn` or empty).
pub struct Line {
    pub text: String,
    pub class: &'static str,
}

impl Line {
    fn plain(text: String) -> Self {
        Self { text, class: "" }
    }
}

pub struct VisitView {
    pub date: String,
    pub lines: Vec<Line>,
}

pub struct DoseView {
    pub name: String,
    pub recommended: &'static str,
    pub state: String,
    pub class: &'static str,
}

pub struct FamilyView {
    pub id: String,
    pub name: String,
    pub detail: String,
}

pub struct PregnancyView {
    pub title: String,
    pub lines: Vec<Line>,
}

impl PersonPage {
    /// "Temuan terakhir (date):".
    fn i18n_last(&self, date: &str) -> String {
        i18n::format(self.t.lang, "person-last-findings", &[("date", date)])
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "person/page.html")]
struct PersonPage {
    t: Tr,
    css: String,
    id: String,
    name: String,
    detail: String,
    contact: String,
    household: String,
    family: Vec<FamilyView>,
    review: bool,
    reviewer: bool,
    last_findings: Vec<Line>,
    last_date: String,
    referrals: Vec<Line>,
    doses: Vec<DoseView>,
    card_summary: Vec<Line>,
    pregnancies: Vec<PregnancyView>,
    visits: Vec<VisitView>,
    /// The growth charts, KMS first.
    charts: Vec<ChartView>,
    /// The PDF papers that apply: the IDL certificate (basic immunization complete) and
    /// the KMS card (a balita with a weighing), see [`super::print`].
    idl_pdf: bool,
    kms_pdf: bool,
}

/// One growth chart: its heading, the SVG (trusted: drawn by [`super::chart::svg`] with
/// escaped text) and the latest measurement in words under it.
pub struct ChartView {
    pub id: &'static str,
    pub heading: String,
    pub svg: String,
    pub summary: String,
}

fn chart_view(t: Tr, chart: &domain::growth_chart::GrowthChart, name: &str) -> ChartView {
    let l = super::chart::labels(t, chart, name);
    ChartView {
        id: super::chart::kind_key(chart.kind),
        svg: super::chart::svg(chart, &l, super::chart::Style::default()),
        summary: super::chart::summary(chart, &l),
        heading: l.heading,
    }
}

/// The text of one measurement: "Berat badan 9,4 kg", marked when flagged implausible.
fn measurement_line(t: Tr, m: &Measurement) -> Line {
    let value = format!("{}", m.value).replace('.', &t.t("decimal-sep"));
    // (`decimal-sep`: Indonesian writes 9,4 kg.)
    let text = format!(
        "{} {value} {}",
        t.t(&format!("mkind-{}", m.kind.code())),
        m.unit.code()
    );
    if m.implausible {
        Line {
            text: format!("{text} ({})", t.t("person-implausible")),
            class: "warn",
        }
    } else {
        Line::plain(text)
    }
}

/// A finding as the catalogue names it, with its action; an unknown code as stored.
pub(crate) fn finding_line(t: Tr, code: &str) -> Line {
    match domain::catalogue::by_code(code) {
        Some(r) => Line {
            text: format!(
                "{} · {}",
                t.rule(r),
                t.t(&format!("action-{}", r.action.as_str()))
            ),
            class: if r.action == domain::Action::Rujuk {
                "late"
            } else {
                "warn"
            },
        },
        None => Line {
            text: code.to_owned(),
            class: "warn",
        },
    }
}

pub(crate) fn referral_line(t: Tr, r: &Referral) -> Line {
    let status = t.t(&format!("referral-{}", r.status.code()));
    let mut text = format!(
        "{} {} · {} · {status}",
        t.t("person-referred"),
        r.to_facility,
        r.reason
    );
    if let Some(note) = &r.status_note {
        text.push_str(&format!(" ({note})"));
    }
    Line {
        text,
        class: if r.status == store::codes::ReferralStatus::Completed {
            "ok"
        } else {
            "late"
        },
    }
}

/// A questionnaire, the services given, or the counselling note.
fn screening_line(t: Tr, s: &Screening) -> Line {
    let answers = &s.answers;
    let text = match s.questionnaire.as_str() {
        "LAYANAN" => {
            let mut given = Vec::new();
            if let Some(v) = answers.get("vitamin_a").and_then(|v| v.as_str()) {
                given.push(format!(
                    "{} ({})",
                    t.t("vitamin-a"),
                    t.t(&format!("capsule-{v}"))
                ));
            }
            if answers.contains_key("obat_cacing") {
                given.push(t.t("deworming"));
            }
            if let Some(n) = answers.get("ttd") {
                given.push(format!("TTD {n}"));
            }
            if answers.contains_key("pmt") {
                given.push(t.t("pmt"));
            }
            if answers.contains_key(report::monthly::KIA_BOOK) {
                given.push(t.t("kia-book"));
            }
            format!("{}: {}", t.t("person-services"), given.join(", "))
        }
        "KONSELING" => format!(
            "{}: {}",
            t.t("person-note"),
            answers.get("note").and_then(|v| v.as_str()).unwrap_or("")
        ),
        q => {
            let title = t.t(&format!("q-{}", q.to_lowercase()));
            // TB and SKILAS keep the "yes" answers by key; SRQ-20 and ADL a score.
            let yes: Vec<String> = answers
                .iter()
                .filter(|(_, v)| v.as_bool() == Some(true))
                .map(|(k, _)| match q {
                    "TB" => t.t(&format!("tb-{k}")),
                    "SKILAS" => t.t(&format!("skilas-{k}")),
                    "PUMA" => t.t(&format!("puma-{k}")),
                    _ => k.clone(),
                })
                .collect();
            let told = match (q, s.score) {
                ("PUMA", _) => {
                    let pack = answers
                        .get("pack_years")
                        .map(ToString::to_string)
                        .unwrap_or_default();
                    let mut parts = vec![format!("{pack} {}", t.t("person-pack-years"))];
                    parts.extend(yes);
                    parts.join(", ")
                }
                (_, Some(score)) => format!("{score}"),
                _ if yes.is_empty() => t.t("person-none"),
                _ => yes.join(", "),
            };
            format!("{title}: {told}")
        }
    };
    Line::plain(text)
}

fn dose_view(t: Tr, row: &domain::immunization_card::CardRow) -> DoseView {
    let (state, class) = match row.state {
        DoseState::Given(d) => (
            i18n::format(t.lang, "dose-given", &[("date", &d.to_string())]),
            "ok",
        ),
        DoseState::Overdue => (t.t("dose-overdue"), "late"),
        DoseState::Due => (t.t("dose-due"), "warn"),
        DoseState::TooEarly => (t.t("dose-too_early"), ""),
        DoseState::Missed => (t.t("dose-missed"), "late"),
    };
    DoseView {
        name: crate::day::record::dose_name(row.vaccine),
        recommended: row.vaccine.entry().recommended,
        state,
        class,
    }
}

fn age_text(t: Tr, birth: Date, on: Date) -> String {
    match domain::age::Age::at(birth, on) {
        Some(a) if a.years >= 5 => {
            i18n::format(t.lang, "age-years", &[("n", &a.years.to_string())])
        }
        Some(a) => i18n::format(t.lang, "age-months", &[("n", &a.months.to_string())]),
        None => String::new(),
    }
}

fn view(t: Tr, r: &PersonRecord, today: Date, reviewer: bool) -> PersonPage {
    let p = &r.person;
    let sex = t.t(match p.sex {
        Sex::Male => "sex-l",
        Sex::Female => "sex-p",
    });
    let mut detail = vec![
        sex,
        p.birth_date.to_string(),
        age_text(t, p.birth_date, today),
    ];
    if let Some(g) = r.group {
        detail.push(t.t(&format!("group-{}", g.code())));
    }
    let mut contact = Vec::new();
    if let Some(n) = &p.nik {
        contact.push(format!("NIK {}", n.masked()));
    }
    if let Some(parent) = &p.parent_name {
        contact.push(format!("{} {parent}", t.t("parent-short")));
    }
    if let Some(phone) = &p.phone {
        contact.push(format!("HP {phone}"));
    }
    let household = r
        .household
        .as_ref()
        .map(|h| {
            let mut s = i18n::format(t.lang, "offline-household", &[("head", &h.head_name)]);
            for part in [&h.address, &h.rt, &h.rw].into_iter().flatten() {
                s.push_str(" · ");
                s.push_str(part);
            }
            s
        })
        .unwrap_or_default();
    let (doses, card_summary) = match &r.card {
        Some(c) => {
            let yes_no = |b: bool| {
                if b {
                    ("person-yes", "ok")
                } else {
                    ("person-no", "")
                }
            };
            let (idl, idl_class) = yes_no(c.idl_complete);
            let (baduta, baduta_class) = yes_no(c.baduta_complete);
            (
                c.rows.iter().map(|row| dose_view(t, row)).collect(),
                vec![
                    Line {
                        text: format!("{}: {}", t.t("person-idl"), t.t(idl)),
                        class: idl_class,
                    },
                    Line {
                        text: format!("{}: {}", t.t("person-baduta"), t.t(baduta)),
                        class: baduta_class,
                    },
                ],
            )
        }
        None => (Vec::new(), Vec::new()),
    };
    let pregnancies = r
        .pregnancies
        .iter()
        .rev()
        .map(|e| {
            let q = &e.pregnancy;
            let mut lines = Vec::new();
            if let Some(lmp) = q.lmp {
                lines.push(Line::plain(format!("{}: {lmp}", t.t("field-lmp"))));
            }
            if let Some(due) = q.due_date {
                lines.push(Line::plain(format!("{}: {due}", t.t("person-due-date"))));
            }
            if let (Some(g), Some(pa), Some(a)) = (q.gravida, q.para, q.abortus) {
                lines.push(Line::plain(format!("G{g} P{pa} A{a}")));
            }
            if q.high_risk {
                lines.push(Line {
                    text: t.t("person-high-risk"),
                    class: "late",
                });
            }
            for k in &e.kspr {
                lines.push(finding_line(t, k));
            }
            let dates: Vec<String> = e.visits.iter().map(Date::to_string).collect();
            lines.push(Line::plain(format!(
                "{}: {}",
                i18n::format(
                    t.lang,
                    "person-anc-visits",
                    &[("n", &dates.len().to_string())]
                ),
                dates.join(", ")
            )));
            if let Some(o) = q.outcome {
                lines.push(Line::plain(format!(
                    "{}: {}{}",
                    t.t("person-outcome"),
                    t.t(&format!("outcome-{}", o.code())),
                    q.outcome_date
                        .map(|d| format!(" ({d})"))
                        .unwrap_or_default()
                )));
            }
            PregnancyView {
                title: if q.outcome.is_none() {
                    t.t("person-pregnant-now")
                } else {
                    t.t("person-pregnancy")
                },
                lines,
            }
        })
        .collect();
    let visits = r
        .visits
        .iter()
        .map(|v| {
            let mut lines: Vec<Line> = v
                .measurements
                .iter()
                .map(|m| measurement_line(t, m))
                .collect();
            lines.extend(v.findings.iter().map(|f| finding_line(t, &f.code)));
            lines.extend(v.doses.iter().map(|d| {
                let name = domain::immunization::Vaccine::from_series(&d.vaccine, d.dose_number)
                    .map_or_else(|| d.vaccine.clone(), crate::day::record::dose_name);
                Line {
                    text: format!("{}: {name}", t.t("person-vaccine")),
                    class: "ok",
                }
            }));
            lines.extend(v.screenings.iter().map(|s| screening_line(t, s)));
            lines.extend(v.referrals.iter().map(|x| referral_line(t, x)));
            VisitView {
                date: v.date.map(|d| long_date(t, d)).unwrap_or_default(),
                lines,
            }
        })
        .collect();
    let l = Layout::new(t);
    PersonPage {
        t: l.t,
        css: l.css,
        id: p.id.to_string(),
        name: p.name.clone(),
        detail: detail.join(" · "),
        contact: contact.join(" · "),
        household,
        family: r
            .family
            .iter()
            .map(|f| FamilyView {
                id: f.id.to_string(),
                name: f.name.clone(),
                detail: format!("{} · {}", f.birth_date, age_text(t, f.birth_date, today)),
            })
            .collect(),
        review: !r.reviews.is_empty(),
        reviewer,
        last_date: r
            .last_findings
            .first()
            .map(|f| f.found_on.to_string())
            .unwrap_or_default(),
        last_findings: r
            .last_findings
            .iter()
            .map(|f| finding_line(t, &f.code))
            .collect(),
        referrals: r
            .open_referrals
            .iter()
            .map(|x| referral_line(t, x))
            .collect(),
        doses,
        card_summary,
        pregnancies,
        visits,
        charts: r.charts.iter().map(|c| chart_view(t, c, &p.name)).collect(),
        idl_pdf: super::print::idl_complete(r, today),
        kms_pdf: super::print::kms_applies(r, today),
    }
}

pub(super) async fn page(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(person): Path<String>,
) -> Response {
    let Ok(id) = uuid::Uuid::parse_str(&person) else {
        return fail(t, DayError::NotFound);
    };
    let today = crate::day::pages::today();
    let actor = user.actor();
    let run = async {
        let r = load(&state.store, &actor, store::PersonId(id), today).await?;
        // Seeing a record is audited; no audit, no record (fail closed).
        state
            .store
            .record_view(
                &actor,
                store::codes::EntityKind::Person,
                id,
                &r.person.org_path,
                &serde_json::json!({ "page": "orang" }),
            )
            .await?;
        Ok::<_, DayError>(r)
    };
    match run.await {
        Ok(r) => {
            let reviewer = crate::review::REVIEWERS.contains(&user.user().role);
            view(t, &r, today, reviewer).into_response()
        }
        Err(e) => fail(t, e),
    }
}
