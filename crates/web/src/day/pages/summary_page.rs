//! The day's summary page, where the day is closed (and reopened for a late entry).

use super::*;

#[derive(Template, WebTemplate)]
#[template(path = "day/summary.html")]
pub(super) struct SummaryPage {
    t: Tr,
    css: String,
    csrf: String,
    day_id: String,
    title: String,
    /// When the day was closed (WIB, `HH:MM`), if it is.
    closed_at: Option<String>,
    came: Vec<PersonLine>,
    missing: Vec<PersonLine>,
    referred: Vec<(PersonLine, String)>,
    doses: Vec<(String, usize)>,
    doses_total: usize,
}

pub(super) async fn summary_page(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(day): Path<String>,
) -> Response {
    let run = async {
        let d = load_day(&state, &user, &day).await?;
        let actor = user.actor();
        let unit = state.store.org_unit(&actor, d.org_unit_id).await?;
        let s: Summary = summary::summary(&state.store, &actor, &d).await?;
        let l = Layout::new(t);
        Ok::<_, DayError>(
            SummaryPage {
                t: l.t,
                css: l.css,
                csrf: user.csrf().to_owned(),
                day_id: d.id.to_string(),
                closed_at: d.closed.as_ref().map(|c| wib_time(c.at)),
                title: format!("{} · {}", unit.name, long_date(t, d.date)),
                came: s
                    .came
                    .iter()
                    .map(|a| person_line(t, &a.person, d.date))
                    .collect(),
                missing: s
                    .missing
                    .iter()
                    .map(|p| person_line(t, p, d.date))
                    .collect(),
                referred: s
                    .referred
                    .iter()
                    .map(|(r, p)| (person_line(t, p, d.date), r.reason.clone()))
                    .collect(),
                doses: s
                    .doses
                    .iter()
                    .map(|c| (c.vaccine.clone(), c.count))
                    .collect(),
                doses_total: s.doses_total,
            }
            .into_response(),
        )
    };
    run.await.unwrap_or_else(|e| fail(t, e))
}

/// `HH:MM` in western Indonesian time (WIB, UTC+7), as [`super::today`] reckons the day.
fn wib_time(at: OffsetDateTime) -> String {
    let t = wib(at);
    format!("{:02}:{:02}", t.hour(), t.minute())
}

#[derive(Deserialize)]
pub(super) struct CsrfForm {
    csrf: String,
}

/// Closes the day, then shows its summary (now final).
pub(super) async fn close(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(day): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Response {
    set_closed(&state, t, &user, &day, &f, true).await
}

/// Reopens the day for a late entry, back to its page.
pub(super) async fn reopen(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(day): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Response {
    set_closed(&state, t, &user, &day, &f, false).await
}

async fn set_closed(
    state: &AppState,
    t: Tr,
    user: &CurrentUser,
    day: &str,
    f: &CsrfForm,
    closed: bool,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return csrf_failed(t);
    }
    match service::set_day_closed(&state.store, &user.actor(), day, closed).await {
        Ok(d) if closed => Redirect::to(&format!("/hari/{}/tutup", d.id)).into_response(),
        Ok(d) => Redirect::to(&format!("/hari/{}", d.id)).into_response(),
        Err(e) => fail(t, e),
    }
}
