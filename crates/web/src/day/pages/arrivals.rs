//! Step 1: the day's page, the search at the registration table, arrivals.

use super::*;

#[derive(Template, WebTemplate)]
#[template(path = "day/day.html")]
pub(super) struct DayPage {
    t: Tr,
    css: String,
    htmx: String,
    csrf: String,
    day_id: String,
    title: String,
    kader: String,
    /// Closed: the page shows who came and the way to the summary, no more registration.
    closed: bool,
    q: String,
    results: Vec<PersonLine>,
    searched: bool,
    arrived: Vec<PersonLine>,
    visit_cid: String,
}

#[derive(Deserialize, Default)]
pub(super) struct SearchQuery {
    #[serde(default)]
    q: String,
}

async fn day_view(
    state: &AppState,
    t: Tr,
    user: &CurrentUser,
    d: &ServiceDay,
    q: &str,
) -> Result<DayPage, DayError> {
    let actor = user.actor();
    let unit = state.store.org_unit(&actor, d.org_unit_id).await?;
    let arrived = service::arrivals(&state.store, &actor, d.id).await?;
    let results = if q.trim().is_empty() {
        Vec::new()
    } else {
        service::find(&state.store, &actor, d, q).await?
    };
    let l = Layout::new(t);
    Ok(DayPage {
        t: l.t,
        css: l.css,
        htmx: crate::assets::url("htmx.min.js"),
        csrf: user.csrf().to_owned(),
        day_id: d.id.to_string(),
        title: format!("{} · {}", unit.name, long_date(t, d.date)),
        kader: d.note.clone().unwrap_or_default(),
        closed: d.closed.is_some(),
        q: q.to_owned(),
        searched: !q.trim().is_empty(),
        results: results.iter().map(|p| person_line(t, p, d.date)).collect(),
        arrived: arrived
            .iter()
            .map(|a| person_line(t, &a.person, d.date))
            .collect(),
        visit_cid: VisitId::new().to_string(),
    })
}

pub(super) async fn day_page(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(day): Path<String>,
    Query(q): Query<SearchQuery>,
) -> Response {
    let d = match load_day(&state, &user, &day).await {
        Ok(d) => d,
        Err(e) => return fail(t, e),
    };
    match day_view(&state, t, &user, &d, &q.q).await {
        Ok(p) => p.into_response(),
        Err(e) => fail(t, e),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "day/results.html")]
pub(super) struct ResultsPart {
    t: Tr,
    csrf: String,
    day_id: String,
    results: Vec<PersonLine>,
    searched: bool,
    visit_cid: String,
}

/// The search results alone for htmx (`HX-Request`), the whole page otherwise.
pub(super) async fn search(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    headers: axum::http::HeaderMap,
    Path(day): Path<String>,
    Query(q): Query<SearchQuery>,
) -> Response {
    let d = match load_day(&state, &user, &day).await {
        Ok(d) => d,
        Err(e) => return fail(t, e),
    };
    let page = match day_view(&state, t, &user, &d, &q.q).await {
        Ok(p) => p,
        Err(e) => return fail(t, e),
    };
    if headers.contains_key("hx-request") {
        ResultsPart {
            t,
            csrf: page.csrf,
            day_id: page.day_id,
            results: page.results,
            searched: page.searched,
            visit_cid: page.visit_cid,
        }
        .into_response()
    } else {
        page.into_response()
    }
}

#[derive(Deserialize)]
pub(super) struct ArriveForm {
    csrf: String,
    cid: String,
    person: String,
}

pub(super) async fn arrive(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(day): Path<String>,
    Form(f): Form<ArriveForm>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return csrf_failed(t);
    }
    let run = async {
        let (d, p) = load(&state, &user, &day, &f.person).await?;
        service::arrive(
            &state.store,
            &user.actor(),
            &d,
            p.id,
            VisitId(client_id(&f.cid)),
        )
        .await?;
        Ok::<_, DayError>(format!("/hari/{}/orang/{}", d.id, p.id))
    };
    match run.await {
        Ok(to) => Redirect::to(&to).into_response(),
        Err(e) => fail(t, e),
    }
}
