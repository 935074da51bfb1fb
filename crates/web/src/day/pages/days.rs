//! Opening a service day and the list of recent days.

use super::*;

#[derive(Template, WebTemplate)]
#[template(path = "day/days.html")]
pub(super) struct DaysPage {
    t: Tr,
    css: String,
    csrf: String,
    cid: String,
    today: String,
    units: Vec<(String, String)>,
    days: Vec<(String, String, String)>,
    error: Option<String>,
}

async fn days_page(state: &AppState, t: Tr, user: &CurrentUser, error: Option<String>) -> Response {
    let actor = user.actor();
    let today = today();
    let (units, days) = match (
        service::service_units(&state.store, &actor).await,
        service::recent_days(&state.store, &actor, today).await,
    ) {
        (Ok(u), Ok(d)) => (u, d),
        (Err(e), _) | (_, Err(e)) => return fail(t, e),
    };
    let l = Layout::new(t);
    DaysPage {
        t: l.t,
        css: l.css,
        csrf: user.csrf().to_owned(),
        cid: ServiceDayId::new().to_string(),
        today: today.to_string(),
        units: units
            .iter()
            .map(|u| (u.id.to_string(), u.name.clone()))
            .collect(),
        days: days
            .iter()
            .map(|(d, u)| {
                (
                    d.id.to_string(),
                    format!("{} · {}", u.name, long_date(t, d.date)),
                    // The kader on duty (if noted), and "ditutup" once the day is closed.
                    [
                        d.note.clone(),
                        d.closed.as_ref().map(|_| t.t("day-closed-mark")),
                    ]
                    .into_iter()
                    .flatten()
                    .filter(|s| !s.trim().is_empty())
                    .collect::<Vec<_>>()
                    .join(" · "),
                )
            })
            .collect(),
        error,
    }
    .into_response()
}

pub(super) async fn days(State(state): State<AppState>, t: Tr, user: CurrentUser) -> Response {
    days_page(&state, t, &user, None).await
}

#[derive(Deserialize)]
pub(super) struct OpenForm {
    csrf: String,
    cid: String,
    unit: String,
    date: String,
    kader: String,
}

pub(super) async fn open(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Form(f): Form<OpenForm>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return csrf_failed(t);
    }
    let parsed = (|| -> Result<service::OpenDay, FieldError> {
        let unit = store::OrgUnitId::parse(&f.unit)
            .map_err(|_| FieldError::new("unit", &f.unit, "err-invalid"))?;
        let date = form::date("date", &f.date)?
            .ok_or_else(|| FieldError::new("date", "", "err-required"))?;
        Ok(service::OpenDay {
            id: ServiceDayId(client_id(&f.cid)),
            unit,
            date,
            kader: form::required("kader", &f.kader)?,
        })
    })();
    let o = match parsed {
        Ok(o) => o,
        Err(e) => return days_page(&state, t, &user, Some(e.message(t))).await,
    };
    match service::open_day(&state.store, &user.actor(), &o).await {
        Ok(d) => Redirect::to(&format!("/hari/{}", d.id)).into_response(),
        Err(DayError::Field(e)) => days_page(&state, t, &user, Some(e.message(t))).await,
        Err(e) => fail(t, e),
    }
}
