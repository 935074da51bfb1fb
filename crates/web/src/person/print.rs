//! A child's papers as PDF (issue 11 item 5): `/orang/{person}/sertifikat-idl.pdf`, the
//! certificate of complete basic immunization, and `/orang/{person}/kms.pdf`, the KMS
//! growth card. The record is read like the person page ([`super::record::load`], scoped
//! to the user's subtree: another unit's child is 404); a paper that does not apply
//! (immunization not complete, not a balita or never weighed) is 422 with a page that says
//! why. Each download is audited like a view of the record before it leaves the server,
//! and rendered off the async threads (`spawn_blocking`). The papers are in Bahasa
//! Indonesia whatever the user's language: they go into the Buku KIA and to the Puskesmas.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::catalogue::Section;
use domain::immunization::{Vaccine, idl_set, immunization_status};
use store::codes::{MeasurementKind, OrgLevel};
use store::{OrgUnit, Person};
use time::Date;

use super::record::{PersonRecord, load};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::day::DayError;
use crate::day::pages::{fail, today};
use crate::i18n::{Lang, Tr};
use crate::pages::Layout;

/// The schedule's doses on the record (what `immunization_status` reads).
fn given(r: &PersonRecord) -> Vec<domain::immunization::Dose> {
    let doses: Vec<store::Dose> = r
        .visits
        .iter()
        .flat_map(|v| v.doses.iter().cloned())
        .collect();
    crate::day::assess::schedule_doses(&doses)
}

/// Whether the basic immunization is complete on `today`: the same
/// `domain::immunization::immunization_status` with the default settings as the monthly
/// report's IDL count (`report::monthly::facts`), so the certificate and the count agree.
pub(super) fn idl_complete(r: &PersonRecord, today: Date) -> bool {
    immunization_status(
        r.person.birth_date,
        today,
        &given(r),
        &domain::Settings::default(),
    )
    .is_some_and(|s| s.idl_complete)
}

/// Whether the KMS card applies: a balita (under five) with a weighing on record.
pub(super) fn kms_applies(r: &PersonRecord, today: Date) -> bool {
    domain::age::Age::at(r.person.birth_date, today).is_some_and(|a| a.is_balita())
        && r.measurements
            .iter()
            .any(|m| m.kind == MeasurementKind::Weight && !m.implausible)
}

#[derive(Template, WebTemplate)]
#[template(
    source = "{% extends \"base.html\" %}{% block content %}<h1>{{ title }}</h1><p>{{ reason }}</p><p><a class=\"btn\" href=\"/orang/{{ id }}\">{{ t.t(\"pdf-back\") }}</a></p>{% endblock %}",
    ext = "html"
)]
struct NotApplicable {
    t: Tr,
    css: String,
    title: String,
    reason: String,
    id: String,
}

/// 422: the paper does not apply to this person, and why, in the user's language.
fn not_applicable(t: Tr, p: &Person, title: &str, reason: &str) -> Response {
    let l = Layout::new(t);
    let page = NotApplicable {
        t: l.t,
        css: l.css,
        title: t.t(title),
        reason: t.t(reason),
        id: p.id.to_string(),
    };
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

async fn record(
    state: &AppState,
    user: &CurrentUser,
    person: &str,
) -> Result<PersonRecord, DayError> {
    let id = uuid::Uuid::parse_str(person).map_err(|_| DayError::NotFound)?;
    load(&state.store, &user.actor(), store::PersonId(id), today()).await
}

/// The download in the access log, like a view of the record; no audit, no file.
async fn audit(
    state: &AppState,
    user: &CurrentUser,
    p: &Person,
    what: &str,
) -> Result<(), DayError> {
    state
        .store
        .record_view(
            &user.actor(),
            store::codes::EntityKind::Person,
            p.id.0,
            &p.org_path,
            &serde_json::json!({ "page": "orang", "as": what }),
        )
        .await?;
    Ok(())
}

/// `name` for a file name: lower-case ASCII letters and digits joined by dashes.
fn slug(name: &str) -> String {
    let s: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let parts: Vec<&str> = s.split('-').filter(|p| !p.is_empty()).collect();
    if parts.is_empty() {
        "anak".into()
    } else {
        parts.join("-")
    }
}

/// Renders on a blocking thread (a PDF is milliseconds of CPU, not to hold an async
/// worker) and answers with the file.
pub(crate) async fn pdf_response(
    t: Tr,
    file: String,
    make: impl FnOnce() -> Result<Vec<u8>, pdf::PdfError> + Send + 'static,
) -> Response {
    let started = std::time::Instant::now();
    match tokio::task::spawn_blocking(make).await {
        Ok(Ok(bytes)) => {
            tracing::debug!(
                file,
                ms = started.elapsed().as_millis() as u64,
                "pdf rendered"
            );
            crate::targets::page::download(bytes, pdf::MIME, &file)
        }
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "pdf failed");
            (StatusCode::INTERNAL_SERVER_ERROR, t.t("pdf-failed")).into_response()
        }
        Err(e) => {
            tracing::warn!(error = %e, "pdf task failed");
            (StatusCode::INTERNAL_SERVER_ERROR, t.t("pdf-failed")).into_response()
        }
    }
}

/// The desa, kecamatan and kabupaten above the child's unit (public names, read through
/// `ancestors_of`), and the unit itself.
async fn places(
    state: &AppState,
    user: &CurrentUser,
    p: &Person,
) -> Result<(OrgUnit, Vec<OrgUnit>), DayError> {
    let actor = user.actor();
    let unit = state.store.org_unit(&actor, p.org_unit_id).await?;
    let above = state.store.ancestors_of(&actor, p.org_unit_id).await?;
    Ok((unit, above))
}

fn named(units: &[OrgUnit], level: OrgLevel) -> Option<String> {
    units
        .iter()
        .find(|u| u.level == level)
        .map(|u| u.name.clone())
}

/// `GET /orang/{person}/sertifikat-idl.pdf`.
pub(super) async fn idl_pdf(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(person): Path<String>,
) -> Response {
    let today = today();
    let r = match record(&state, &user, &person).await {
        Ok(r) => r,
        Err(e) => return fail(t, e),
    };
    if !idl_complete(&r, today) {
        return not_applicable(t, &r.person, "pdf-idl-title", "pdf-idl-not-complete");
    }
    let (unit, above) = match places(&state, &user, &r.person).await {
        Ok(x) => x,
        Err(e) => return fail(t, e),
    };
    let issuer = match state
        .store
        .org_unit(&user.actor(), user.user().org_unit_id)
        .await
    {
        Ok(u) => u.name,
        Err(e) => return fail(t, e.into()),
    };
    let given = given(&r);
    let settings = domain::Settings::default();
    let doses: Vec<pdf::DoseLine> = idl_set(settings.idl_set)
        .iter()
        .filter_map(|code| {
            let v = Vaccine::from_code(code)?;
            let on = given
                .iter()
                .filter(|d| d.vaccine == v)
                .map(|d| d.date)
                .min()?;
            let (series, n) = v.series();
            Some(pdf::DoseLine {
                vaccine: series.to_owned(),
                dose: n.map(|n| n.to_string()).unwrap_or_default(),
                given_on: on,
            })
        })
        .collect();
    let p = &r.person;
    let cert = pdf::IdlCertificate {
        child_name: p.name.clone(),
        sex: p.sex,
        birth_date: p.birth_date,
        parent_name: p.parent_name.clone(),
        posyandu: unit.name.clone(),
        desa: named(&above, OrgLevel::Village),
        kecamatan: named(&above, OrgLevel::District),
        kabupaten: named(&above, OrgLevel::Regency),
        completed_on: doses.iter().map(|d| d.given_on).max().unwrap_or(today),
        doses,
        issued_by: issuer,
        issued_on: today,
    };
    if let Err(e) = audit(&state, &user, p, "sertifikat-idl").await {
        return fail(t, e);
    }
    let file = format!("sertifikat-idl-{}.pdf", slug(&p.name));
    pdf_response(t, file, move || pdf::idl_certificate(&cert)).await
}

/// A day's growth findings in the catalogue's words ("N: naik", "Pendek (stunting)").
fn status(v: &super::record::VisitEntry) -> String {
    let words: Vec<&str> = v
        .findings
        .iter()
        .filter_map(|f| domain::catalogue::by_code(&f.code))
        .filter(|r| matches!(r.section, Section::Kms | Section::BalitaAnthropometry))
        .map(|r| r.label)
        .collect();
    words.join("; ")
}

/// `GET /orang/{person}/kms.pdf`.
pub(super) async fn kms_pdf(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(person): Path<String>,
) -> Response {
    let today = today();
    let r = match record(&state, &user, &person).await {
        Ok(r) => r,
        Err(e) => return fail(t, e),
    };
    if !kms_applies(&r, today) {
        return not_applicable(t, &r.person, "pdf-kms-title", "pdf-kms-not-applicable");
    }
    let unit = match state
        .store
        .org_unit(&user.actor(), r.person.org_unit_id)
        .await
    {
        Ok(u) => u,
        Err(e) => return fail(t, e.into()),
    };
    // The charts with Indonesian words, as the rest of the card.
    let id = Tr::new(Lang::Id);
    let p = &r.person;
    let charts = r
        .charts
        .iter()
        .map(|c| {
            let l = super::chart::labels(id, c, &p.name);
            super::chart::svg(c, &l, super::chart::Style::default())
        })
        .collect();
    let weighings = r
        .visits
        .iter()
        .rev()
        .filter_map(|v| {
            let plausible = |kinds: &[MeasurementKind]| {
                v.measurements
                    .iter()
                    .filter(|m| kinds.contains(&m.kind) && !m.implausible)
                    .map(|m| m.value)
                    .next_back()
            };
            let weight_kg = plausible(&[MeasurementKind::Weight]);
            let height_cm = plausible(&[MeasurementKind::Length, MeasurementKind::Height]);
            (weight_kg.is_some() || height_cm.is_some()).then(|| pdf::Weighing {
                date: v.date.unwrap_or(today),
                weight_kg,
                height_cm,
                status: status(v),
            })
        })
        .collect();
    let card = pdf::GrowthCard {
        child_name: p.name.clone(),
        sex: p.sex,
        birth_date: p.birth_date,
        parent_name: p.parent_name.clone(),
        posyandu: unit.name,
        charts,
        weighings,
        printed_on: today,
    };
    if let Err(e) = audit(&state, &user, p, "kms").await {
        return fail(t, e);
    }
    let file = format!("kms-{}.pdf", slug(&p.name));
    pdf_response(t, file, move || pdf::growth_card(&card)).await
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn file_names_are_plain_ascii() {
        assert_eq!(slug("Sari Wulandari"), "sari-wulandari");
        assert_eq!(slug("  Ni Ketut  Ayu'"), "ni-ketut-ayu");
        assert_eq!(slug("…"), "anak");
    }
}
