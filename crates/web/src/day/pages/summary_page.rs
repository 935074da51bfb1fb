//! The day's summary page.

use super::*;

#[derive(Template, WebTemplate)]
#[template(path = "day/summary.html")]
pub(super) struct SummaryPage {
    t: Tr,
    css: String,
    day_id: String,
    title: String,
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
                day_id: d.id.to_string(),
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
