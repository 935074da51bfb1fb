//! Registering a new person (and household, and the mother link).

use super::*;

#[derive(Deserialize, Default, Clone)]
pub(super) struct RegisterForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    cid: String,
    #[serde(default)]
    visit_cid: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    sex: String,
    #[serde(default)]
    birth_date: String,
    #[serde(default)]
    nik: String,
    #[serde(default)]
    nik_is_mother: Option<String>,
    #[serde(default)]
    parent_name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    household: String,
    #[serde(default)]
    household_head: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    mother: String,
    #[serde(default)]
    not_a_duplicate: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "day/register.html")]
pub(super) struct RegisterPage {
    t: Tr,
    css: String,
    csrf: String,
    day_id: String,
    f: RegisterForm,
    mother_name: String,
    errors: Vec<String>,
    similar: Vec<SimilarLine>,
    visit_cid: String,
}

pub(super) struct SimilarLine {
    text: String,
    in_scope: bool,
}

fn similar_lines(t: Tr, s: &[Similar]) -> Vec<SimilarLine> {
    s.iter()
        .map(|x| SimilarLine {
            text: match &x.name {
                Some(n) => format!("{n} · {}", x.unit_name),
                None => crate::i18n::format(t.lang, "similar-elsewhere", &[("unit", &x.unit_name)]),
            },
            in_scope: x.name.is_some(),
        })
        .collect()
}

#[derive(Deserialize, Default)]
pub(super) struct RegisterQuery {
    #[serde(default)]
    ibu: String,
}

async fn register_page(
    state: &AppState,
    t: Tr,
    user: &CurrentUser,
    d: &ServiceDay,
    mut f: RegisterForm,
    errors: Vec<String>,
    similar: Vec<SimilarLine>,
) -> Response {
    let mut mother_name = String::new();
    if let Ok(id) = PersonId::parse(&f.mother)
        && let Ok(m) = state.store.person(&user.actor(), id).await
    {
        mother_name = m.name.clone();
        if f.parent_name.is_empty() {
            f.parent_name = m.name.clone();
        }
        if f.household.is_empty()
            && let Some(h) = m.household_id
        {
            f.household = h.to_string();
        }
    }
    if f.cid.is_empty() {
        f.cid = PersonId::new().to_string();
    }
    let l = Layout::new(t);
    let status = if errors.is_empty() && similar.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (
        status,
        RegisterPage {
            t: l.t,
            css: l.css,
            csrf: user.csrf().to_owned(),
            day_id: d.id.to_string(),
            f,
            mother_name,
            errors,
            similar,
            visit_cid: VisitId::new().to_string(),
        },
    )
        .into_response()
}

pub(super) async fn register_form(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(day): Path<String>,
    Query(q): Query<RegisterQuery>,
) -> Response {
    let d = match load_day(&state, &user, &day).await {
        Ok(d) => d,
        Err(e) => return fail(t, e),
    };
    let f = RegisterForm {
        mother: q.ibu,
        ..RegisterForm::default()
    };
    register_page(&state, t, &user, &d, f, Vec::new(), Vec::new()).await
}

fn parse_registration(f: &RegisterForm) -> Result<Registration, Vec<FieldError>> {
    let mut errors = Vec::new();
    let Some((name, sex, birth_date)) =
        form::person_core(&f.name, &f.sex, &f.birth_date, &mut errors)
    else {
        return Err(errors);
    };
    let household_id = store::HouseholdId::parse(&f.household).ok();
    Ok(Registration {
        person_id: PersonId(client_id(&f.cid)),
        visit_id: VisitId(client_id(&f.visit_cid)),
        name,
        sex,
        birth_date,
        nik: form::optional(&f.nik),
        nik_is_mother: f.nik_is_mother.is_some(),
        parent_name: form::optional(&f.parent_name),
        phone: form::optional(&f.phone),
        household_id,
        new_household_head: form::optional(&f.household_head),
        new_household_id: Some(store::HouseholdId(Uuid::new_v5(
            &client_id(&f.cid),
            b"household",
        ))),
        address: form::optional(&f.address),
        mother_id: PersonId::parse(&f.mother).ok(),
        not_a_duplicate: f.not_a_duplicate.is_some(),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "day/registered.html")]
pub(super) struct RegisteredPage {
    t: Tr,
    css: String,
    name: String,
    warnings: Vec<String>,
    next: String,
}

pub(super) async fn register(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(day): Path<String>,
    Form(f): Form<RegisterForm>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return csrf_failed(t);
    }
    let d = match load_day(&state, &user, &day).await {
        Ok(d) => d,
        Err(e) => return fail(t, e),
    };
    let r = match parse_registration(&f) {
        Ok(r) => r,
        Err(errs) => {
            let msgs = errs.iter().map(|e| e.message(t)).collect();
            return register_page(&state, t, &user, &d, f, msgs, Vec::new()).await;
        }
    };
    match service::register(&state.store, &user.actor(), &d, &r).await {
        Ok(Registered::Stored {
            person,
            nik_warnings,
            ..
        }) => {
            let next = format!("/hari/{}/orang/{}", d.id, person.id);
            if nik_warnings.is_empty() {
                return Redirect::to(&next).into_response();
            }
            let l = Layout::new(t);
            RegisteredPage {
                t: l.t,
                css: l.css,
                name: person.name,
                warnings: nik_warnings.iter().map(|w| w.message()).collect(),
                next,
            }
            .into_response()
        }
        Ok(Registered::PossibleDuplicates(s)) => {
            let lines = similar_lines(t, &s);
            register_page(&state, t, &user, &d, f, Vec::new(), lines).await
        }
        Err(DayError::Field(e)) => {
            register_page(&state, t, &user, &d, f, vec![e.message(t)], Vec::new()).await
        }
        Err(e) => fail(t, e),
    }
}
