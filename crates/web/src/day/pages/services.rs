//! Step 4: services given (doses due first, vitamin A, deworming, TTD, PMT).

use super::*;

#[derive(Template, WebTemplate)]
#[template(path = "day/services.html")]
pub(super) struct ServicesPage {
    t: Tr,
    css: String,
    csrf: String,
    cid: String,
    head: PersonHead,
    offer: Offer,
    capsule: String,
}

pub(super) async fn services_form(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path((day, person)): Path<(String, String)>,
) -> Response {
    let run = async {
        let (d, p) = load(&state, &user, &day, &person).await?;
        seen(&state, &user, &d, &p, 4).await?;
        let a = record::preview(&state.store, &user.actor(), &d, &p, &Readings::default()).await?;
        let l = Layout::new(t);
        Ok::<_, DayError>(
            ServicesPage {
                t: l.t,
                css: l.css,
                csrf: user.csrf().to_owned(),
                cid: Uuid::now_v7().to_string(),
                head: head(t, &d, &p, a.group, 4),
                capsule: record::offer(&p, &d, &a)
                    .vitamin_a
                    .map(|v| t.t(&format!("capsule-{v}")))
                    .unwrap_or_default(),
                offer: record::offer(&p, &d, &a),
            }
            .into_response(),
        )
    };
    run.await.unwrap_or_else(|e| fail(t, e))
}

#[derive(Deserialize)]
pub(super) struct ServicesForm {
    csrf: String,
    cid: String,
    #[serde(default)]
    vaccine: Vec<String>,
    #[serde(default)]
    vitamin_a: String,
    #[serde(default)]
    deworming: Option<String>,
    #[serde(default)]
    iron_tablets: String,
    #[serde(default)]
    pmt: Option<String>,
    #[serde(default)]
    kia_book: Option<String>,
    #[serde(default)]
    batch: String,
}

pub(super) async fn give(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path((day, person)): Path<(String, String)>,
    Form(f): Form<ServicesForm>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return csrf_failed(t);
    }
    let run = async {
        let (d, p) = load(&state, &user, &day, &person).await?;
        let iron = form::whole("iron_tablets", &f.iron_tablets)?
            .map(|n| {
                u32::try_from(n)
                    .map_err(|_| DayError::field("iron_tablets", &n.to_string(), "err-whole"))
            })
            .transpose()?;
        let s = Services {
            vaccines: f.vaccine.clone(),
            vitamin_a: form::optional(&f.vitamin_a),
            deworming: f.deworming.is_some(),
            iron_tablets: iron,
            pmt: f.pmt.is_some(),
            kia_book: f.kia_book.is_some(),
            batch: form::optional(&f.batch),
        };
        let actor = user.actor();
        let visit = service::arrive(&state.store, &actor, &d, p.id, VisitId::new()).await?;
        record::give(&state.store, &actor, &d, &visit, &p, &s, client_id(&f.cid)).await?;
        Ok::<_, DayError>(
            Redirect::to(&format!("/hari/{}/orang/{}/konseling", d.id, p.id)).into_response(),
        )
    };
    run.await.unwrap_or_else(|e| fail(t, e))
}
