//! Step 5: counselling and the referral, pre-filled from today's `rujuk` findings.

use super::*;

#[derive(Template, WebTemplate)]
#[template(path = "day/counsel.html")]
pub(super) struct CounselPage {
    t: Tr,
    css: String,
    csrf: String,
    cid: String,
    head: PersonHead,
    findings: Vec<(String, String, &'static str)>,
    refer: bool,
    reason: String,
    facility: String,
}

/// Today's stored findings of the person, as step 3 saved them.
async fn saved_assessment(
    state: &AppState,
    user: &CurrentUser,
    d: &ServiceDay,
    p: &Person,
) -> Result<Vec<&'static domain::Rule>, DayError> {
    let found = state.store.findings_of(&user.actor(), p.id).await?;
    let mut rules: Vec<&'static domain::Rule> = found
        .iter()
        .filter(|f| f.found_on == d.date)
        .filter_map(|f| domain::catalogue::by_code(&f.code))
        .collect();
    rules.sort_by_key(|r| r.code);
    rules.dedup_by_key(|r| r.code);
    Ok(rules)
}

pub(super) async fn counsel_form(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path((day, person)): Path<(String, String)>,
) -> Response {
    let run = async {
        let (d, p) = load(&state, &user, &day, &person).await?;
        seen(&state, &user, &d, &p, 5).await?;
        let a = record::preview(&state.store, &user.actor(), &d, &p, &Readings::default()).await?;
        let rules = saved_assessment(&state, &user, &d, &p).await?;
        // The reason box is sent back and stored, so it stays in Bahasa Indonesia.
        let reason = record::rujuk_labels(rules.iter().map(|r| r.code));
        let l = Layout::new(t);
        Ok::<_, DayError>(
            CounselPage {
                t: l.t,
                css: l.css,
                csrf: user.csrf().to_owned(),
                cid: Uuid::now_v7().to_string(),
                head: head(t, &d, &p, a.group, 5),
                findings: rules
                    .iter()
                    .map(|r| {
                        (
                            t.rule(r),
                            t.t(&format!("action-{}", r.action.as_str())),
                            r.action.as_str(),
                        )
                    })
                    .collect(),
                refer: !reason.is_empty(),
                reason,
                facility: record::puskesmas_of(&state.store, &d).await?,
            }
            .into_response(),
        )
    };
    run.await.unwrap_or_else(|e| fail(t, e))
}

#[derive(Deserialize)]
pub(super) struct CounselForm {
    csrf: String,
    cid: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    refer: Option<String>,
    #[serde(default)]
    reason: String,
}

pub(super) async fn counsel(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path((day, person)): Path<(String, String)>,
    Form(f): Form<CounselForm>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return csrf_failed(t);
    }
    let run = async {
        let (d, p) = load(&state, &user, &day, &person).await?;
        let rules = saved_assessment(&state, &user, &d, &p).await?;
        let prefilled = record::rujuk_labels(rules.iter().map(|r| r.code));
        let c = Counsel {
            note: form::optional(&f.note),
            refer: f.refer.is_some(),
            reason: form::optional(&f.reason),
        };
        let actor = user.actor();
        let visit = service::arrive(&state.store, &actor, &d, p.id, VisitId::new()).await?;
        record::counsel(
            &state.store,
            &actor,
            &d,
            &visit,
            &p,
            &c,
            &prefilled,
            client_id(&f.cid),
        )
        .await?;
        Ok::<_, DayError>(Redirect::to(&format!("/hari/{}", d.id)).into_response())
    };
    run.await.unwrap_or_else(|e| fail(t, e))
}
