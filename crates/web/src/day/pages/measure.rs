//! Steps 2 and 3: the measurement form of the person's group (with live
//! classification for a balita), the check before saving, and saving.

use super::*;

/// One input of the step-2 form.
pub struct FieldView {
    pub name: &'static str,
    pub label: String,
    pub unit: &'static str,
    pub value: String,
    /// `data-classify` for the live classification script (balita only).
    pub classify: &'static str,
}

pub struct Checkbox {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

pub struct QuestionnaireView {
    pub code: &'static str,
    pub title: String,
    pub items: Vec<Checkbox>,
    /// Barthel score or PUMA pack-years input.
    pub number: Option<(&'static str, String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "day/measure.html")]
pub(super) struct MeasurePage {
    t: Tr,
    css: String,
    classify_js: String,
    csrf: String,
    cid: String,
    head: PersonHead,
    fields: Vec<FieldView>,
    balita: bool,
    measure: String,
    oedema: bool,
    questionnaires: Vec<QuestionnaireView>,
    cutpoints: String,
    labels: String,
    errors: Vec<String>,
    /// Offer "record a pregnancy" (a woman 10–55 years, not pregnant now).
    may_be_pregnant: bool,
    /// The person's referrals open or closed lately, and what became of them.
    referrals: Vec<crate::person::page::Line>,
    pregnancy_cid: String,
}

const UNITS: [(&str, &str); 11] = [
    ("weight_kg", "kg"),
    ("lenhei_cm", "cm"),
    ("head_cm", "cm"),
    ("muac_cm", "cm"),
    ("waist_cm", "cm"),
    ("systolic", "mmHg"),
    ("diastolic", "mmHg"),
    ("glucose_random", "mg/dL"),
    ("cholesterol", "mg/dL"),
    ("hb", "g/dL"),
    ("oedema", ""),
];

fn shown(v: Option<f64>) -> String {
    v.map(|v| format!("{v}").replace('.', ","))
        .unwrap_or_default()
}

fn value_of(r: &Readings, field: &str) -> Option<f64> {
    match field {
        "weight_kg" => r.weight_kg,
        "lenhei_cm" => r.lenhei_cm,
        "head_cm" => r.head_cm,
        "muac_cm" => r.muac_cm,
        "waist_cm" => r.waist_cm,
        "systolic" => r.systolic,
        "diastolic" => r.diastolic,
        "glucose_random" => r.glucose_random,
        "cholesterol" => r.cholesterol,
        "hb" => r.hb,
        _ => None,
    }
}

pub(crate) fn questionnaire_views(
    t: Tr,
    form: &domain::lifecycle::Form,
    r: &Readings,
) -> Vec<QuestionnaireView> {
    use domain::lifecycle::Questionnaire as Q;
    let boxes = |prefix: &str, keys: &[&str], on: &Option<Vec<String>>| {
        keys.iter()
            .map(|k| Checkbox {
                value: (*k).to_owned(),
                label: t.t(&format!("{prefix}-{k}")),
                checked: on.as_ref().is_some_and(|v| v.iter().any(|x| x == k)),
            })
            .collect()
    };
    form.questionnaires
        .iter()
        .map(|q| match q {
            Q::TbSymptoms => QuestionnaireView {
                code: "tb",
                title: t.t("q-tb"),
                items: boxes(
                    "tb",
                    &domain::questionnaires::TbSymptoms::KEYS,
                    &r.tb_symptoms,
                ),
                number: None,
            },
            Q::Skilas => QuestionnaireView {
                code: "skilas",
                title: t.t("q-skilas"),
                items: boxes(
                    "skilas",
                    &domain::questionnaires::Skilas::DOMAINS,
                    &r.skilas,
                ),
                number: None,
            },
            Q::Srq20 => QuestionnaireView {
                code: "srq",
                title: t.t("q-srq20"),
                items: (1..=20u8)
                    .map(|i| Checkbox {
                        value: i.to_string(),
                        label: t.t(&format!("srq-{i}")),
                        checked: r.srq20_yes.as_ref().is_some_and(|v| v.contains(&i)),
                    })
                    .collect(),
                number: None,
            },
            Q::Puma => QuestionnaireView {
                code: "puma",
                title: t.t("q-puma"),
                items: ["breathless", "phlegm", "cough", "spirometry"]
                    .iter()
                    .map(|k| Checkbox {
                        value: (*k).to_owned(),
                        label: t.t(&format!("puma-{k}")),
                        checked: r.puma.as_ref().is_some_and(|p| match *k {
                            "breathless" => p.breathless,
                            "phlegm" => p.phlegm,
                            "cough" => p.cough,
                            _ => p.spirometry,
                        }),
                    })
                    .collect(),
                number: Some((
                    "puma_pack_years",
                    t.t("puma-pack-years"),
                    r.puma
                        .as_ref()
                        .map(|p| shown(Some(p.pack_years)))
                        .unwrap_or_default(),
                )),
            },
            Q::Barthel => QuestionnaireView {
                code: "adl",
                title: t.t("q-adl"),
                items: Vec::new(),
                number: Some((
                    "barthel",
                    t.t("adl-score"),
                    r.barthel.map(|b| b.to_string()).unwrap_or_default(),
                )),
            },
        })
        .collect()
}

/// The cut-points of a balita for the page's script, and the labels it shows.
fn live_classification(
    t: Tr,
    d: &ServiceDay,
    p: &Person,
    h: &crate::day::assess::History,
) -> (String, String) {
    let Some(cuts) = crate::day::assess::cutpoints_for(d.date, p, h) else {
        return (String::new(), String::new());
    };
    (
        serde_json::to_string(&cuts).unwrap_or_default(),
        live_labels(t),
    )
}

/// The unit shown after a reading's label.
pub(crate) fn measure_units(field: &str) -> &'static str {
    UNITS
        .iter()
        .find(|(n, _)| *n == field)
        .map_or("", |(_, u)| u)
}

/// The live classification's texts (`data-labels`): each finding code with its action,
/// and "recheck" and "incomplete".
pub(crate) fn live_labels(t: Tr) -> String {
    let mut labels = serde_json::Map::new();
    for r in domain::catalogue::ALL {
        let action = t.t(&format!("action-{}", r.action.as_str()));
        labels.insert(
            r.code.into(),
            serde_json::json!(format!("{} · {action}", t.rule(r))),
        );
    }
    labels.insert("recheck".into(), serde_json::json!(t.t("recheck-live")));
    labels.insert(
        "incomplete".into(),
        serde_json::json!(t.t("live-incomplete")),
    );
    serde_json::Value::Object(labels).to_string()
}

// The page needs the person, the day, what was typed and what was wrong with it.
#[allow(clippy::too_many_arguments)]
async fn measure_page(
    state: &AppState,
    t: Tr,
    user: &CurrentUser,
    d: &ServiceDay,
    p: &Person,
    r: &Readings,
    raw: &[(&str, &str)],
    errors: Vec<String>,
) -> Result<Response, DayError> {
    let actor = user.actor();
    // One read of the history serves both the form's group and the live cut-points.
    let h = record::history(&state.store, &actor, p, d.date).await?;
    let a = record::assessed(p, d, &h, &Readings::default())?;
    let review = !state.store.open_reviews(&actor, p.id).await?.is_empty();
    let referrals = state
        .store
        .referrals_of(&actor, p.id)
        .await?
        .iter()
        .filter(|r| crate::day::prepare::shown_on_day(r, d.date))
        .map(|r| crate::person::page::referral_line(t, r))
        .collect();
    let form = domain::lifecycle::form(a.group, a.age_years);
    let balita = a.group == domain::lifecycle::Group::Balita;
    let fields = form
        .fields
        .iter()
        .filter(|f| **f != "oedema")
        .map(|f| FieldView {
            name: f,
            label: t.t(&format!("field-{f}")),
            unit: measure_units(f),
            // After a typo, the form comes back with what was typed, not emptied.
            value: raw
                .iter()
                .find(|(name, _)| name == f)
                .map_or_else(|| shown(value_of(r, f)), |(_, v)| (*v).to_owned()),
            classify: match (*f, balita) {
                ("weight_kg", true) => "weight",
                ("lenhei_cm", true) => "lenhei",
                ("head_cm", true) => "head",
                ("muac_cm", true) => "muac",
                _ => "",
            },
        })
        .collect();
    let (cutpoints, labels) = if balita {
        live_classification(t, d, p, &h)
    } else {
        (String::new(), String::new())
    };
    let l = Layout::new(t);
    Ok((
        if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
        MeasurePage {
            t: l.t,
            css: l.css,
            classify_js: crate::assets::url("classify.js"),
            csrf: user.csrf().to_owned(),
            cid: Uuid::now_v7().to_string(),
            head: PersonHead {
                review,
                ..head(t, d, p, a.group, 2)
            },
            balita,
            measure: r.measure.clone().unwrap_or_default(),
            oedema: r.oedema,
            questionnaires: questionnaire_views(t, &form, r),
            fields,
            cutpoints,
            labels,
            errors,
            may_be_pregnant: p.sex == Sex::Female
                && (10..=55).contains(&a.age_years)
                && a.group != domain::lifecycle::Group::IbuHamil,
            pregnancy_cid: Uuid::now_v7().to_string(),
            referrals,
        },
    )
        .into_response())
}

#[derive(Deserialize)]
pub(super) struct PregnancyForm {
    csrf: String,
    cid: String,
    #[serde(default)]
    lmp: String,
}

pub(super) async fn pregnant(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path((day, person)): Path<(String, String)>,
    Form(f): Form<PregnancyForm>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return csrf_failed(t);
    }
    let run = async {
        let (d, p) = load(&state, &user, &day, &person).await?;
        let lmp =
            form::date("lmp", &f.lmp)?.ok_or_else(|| DayError::field("lmp", "", "err-required"))?;
        record::record_pregnancy(&state.store, &user.actor(), &d, &p, lmp, client_id(&f.cid))
            .await?;
        Ok::<_, DayError>(Redirect::to(&format!("/hari/{}/orang/{}", d.id, p.id)).into_response())
    };
    match run.await {
        Ok(r) => r,
        Err(DayError::Field(e)) => {
            let again = async {
                let (d, p) = load(&state, &user, &day, &person).await?;
                measure_page(
                    &state,
                    t,
                    &user,
                    &d,
                    &p,
                    &Readings::default(),
                    &[],
                    vec![e.message(t)],
                )
                .await
            };
            again.await.unwrap_or_else(|e| fail(t, e))
        }
        Err(e) => fail(t, e),
    }
}

pub(super) async fn measure_form(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path((day, person)): Path<(String, String)>,
) -> Response {
    let run = async {
        let (d, p) = load(&state, &user, &day, &person).await?;
        seen(&state, &user, &d, &p, 2).await?;
        measure_page(
            &state,
            t,
            &user,
            &d,
            &p,
            &Readings::default(),
            &[],
            Vec::new(),
        )
        .await
    };
    run.await.unwrap_or_else(|e| fail(t, e))
}

/// The step-2 form as posted: every value as typed.
#[derive(Deserialize, Default)]
pub(super) struct MeasureForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    cid: String,
    #[serde(default)]
    weight_kg: String,
    #[serde(default)]
    lenhei_cm: String,
    #[serde(default)]
    measure: String,
    #[serde(default)]
    head_cm: String,
    #[serde(default)]
    muac_cm: String,
    #[serde(default)]
    waist_cm: String,
    #[serde(default)]
    systolic: String,
    #[serde(default)]
    diastolic: String,
    #[serde(default)]
    glucose_random: String,
    #[serde(default)]
    cholesterol: String,
    #[serde(default)]
    hb: String,
    #[serde(default)]
    oedema: Option<String>,
    /// Questionnaires the cadre marked as asked (then an unticked answer is a "no"); one
    /// with any answer ticked or typed counts as asked too.
    #[serde(default)]
    asked: Vec<String>,
    #[serde(default)]
    tb: Vec<String>,
    #[serde(default)]
    skilas: Vec<String>,
    #[serde(default)]
    srq: Vec<u8>,
    #[serde(default)]
    puma: Vec<String>,
    #[serde(default)]
    puma_pack_years: String,
    #[serde(default)]
    barthel: String,
}

fn parse_readings(f: &MeasureForm) -> Result<Readings, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut num = |field: &str, text: &str| match form::decimal(field, text) {
        Ok(v) => v,
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let mut r = Readings {
        weight_kg: num("weight_kg", &f.weight_kg),
        lenhei_cm: num("lenhei_cm", &f.lenhei_cm),
        head_cm: num("head_cm", &f.head_cm),
        muac_cm: num("muac_cm", &f.muac_cm),
        waist_cm: num("waist_cm", &f.waist_cm),
        systolic: num("systolic", &f.systolic),
        diastolic: num("diastolic", &f.diastolic),
        glucose_random: num("glucose_random", &f.glucose_random),
        cholesterol: num("cholesterol", &f.cholesterol),
        hb: num("hb", &f.hb),
        measure: form::optional(&f.measure),
        oedema: f.oedema.is_some(),
        ..Readings::default()
    };
    let asked = |q: &str, answered: bool| answered || f.asked.iter().any(|a| a == q);
    if asked("tb", !f.tb.is_empty()) {
        r.tb_symptoms = Some(f.tb.clone());
    }
    if asked("skilas", !f.skilas.is_empty()) {
        r.skilas = Some(f.skilas.clone());
    }
    if asked("srq", !f.srq.is_empty()) {
        r.srq20_yes = Some(f.srq.clone());
    }
    if asked(
        "puma",
        !f.puma.is_empty() || !f.puma_pack_years.trim().is_empty(),
    ) {
        let pack = num("puma_pack_years", &f.puma_pack_years);
        if pack.is_none() {
            errors.push(FieldError::new("puma_pack_years", "", "err-required"));
        }
        if let Some(pack_years) = pack {
            let has = |k: &str| f.puma.iter().any(|x| x == k);
            r.puma = Some(crate::day::assess::Puma {
                pack_years,
                breathless: has("breathless"),
                phlegm: has("phlegm"),
                cough: has("cough"),
                spirometry: has("spirometry"),
            });
        }
    }
    if asked("adl", !f.barthel.trim().is_empty()) {
        match form::whole("barthel", &f.barthel) {
            Ok(Some(b)) if (0..=20).contains(&b) => r.barthel = u8::try_from(b).ok(),
            Ok(None) => {}
            Ok(Some(b)) => errors.push(FieldError::new("barthel", b.to_string(), "err-barthel")),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(r)
    } else {
        Err(errors)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "day/check.html")]
pub(super) struct CheckPage {
    t: Tr,
    css: String,
    csrf: String,
    cid: String,
    head: PersonHead,
    zscores: Vec<(String, String)>,
    findings: Vec<(String, String, &'static str)>,
    rechecks: Vec<String>,
    readings: String,
    /// What was typed, as the cadre reads it back before saving.
    typed: Vec<(String, String)>,
    refer: bool,
}

fn check_page(
    t: Tr,
    user: &CurrentUser,
    d: &ServiceDay,
    p: &Person,
    a: &Assessment,
    r: &Readings,
    cid: &str,
) -> Response {
    let l = Layout::new(t);
    CheckPage {
        t: l.t,
        css: l.css,
        csrf: user.csrf().to_owned(),
        cid: cid.to_owned(),
        head: head(t, d, p, a.group, 3),
        zscores: a
            .zscores
            .iter()
            .map(|(n, z)| (t.t(&format!("z-{n}")), format!("{z:.2}").replace('.', ",")))
            .collect(),
        findings: a
            .findings
            .iter()
            .map(|f| {
                (
                    t.rule(f.rule),
                    t.t(&format!("action-{}", f.action.as_str())),
                    f.action.as_str(),
                )
            })
            .collect(),
        rechecks: a
            .rechecks
            .iter()
            .map(|c| {
                crate::i18n::format(
                    t.lang,
                    c.reason,
                    &[
                        ("field", &t.t(&format!("field-{}", c.field))),
                        ("detail", &c.detail),
                    ],
                )
            })
            .collect(),
        readings: serde_json::to_string(r).unwrap_or_default(),
        typed: UNITS
            .iter()
            .filter_map(|(field, unit)| {
                value_of(r, field).map(|v| {
                    (
                        t.t(&format!("field-{field}")),
                        format!("{} {unit}", shown(Some(v))),
                    )
                })
            })
            .collect(),
        refer: !a.refer().is_empty(),
    }
    .into_response()
}

pub(super) async fn check(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path((day, person)): Path<(String, String)>,
    Form(f): Form<MeasureForm>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return csrf_failed(t);
    }
    let run = async {
        let (d, p) = load(&state, &user, &day, &person).await?;
        let r = match parse_readings(&f) {
            Ok(r) => r,
            Err(errs) => {
                let msgs = errs.iter().map(|e| e.message(t)).collect();
                let raw = [
                    ("weight_kg", f.weight_kg.as_str()),
                    ("lenhei_cm", f.lenhei_cm.as_str()),
                    ("head_cm", f.head_cm.as_str()),
                    ("muac_cm", f.muac_cm.as_str()),
                    ("waist_cm", f.waist_cm.as_str()),
                    ("systolic", f.systolic.as_str()),
                    ("diastolic", f.diastolic.as_str()),
                    ("glucose_random", f.glucose_random.as_str()),
                    ("cholesterol", f.cholesterol.as_str()),
                    ("hb", f.hb.as_str()),
                ];
                let partial = Readings {
                    measure: form::optional(&f.measure),
                    oedema: f.oedema.is_some(),
                    ..Readings::default()
                };
                return measure_page(&state, t, &user, &d, &p, &partial, &raw, msgs).await;
            }
        };
        let a = record::preview(&state.store, &user.actor(), &d, &p, &r).await?;
        Ok(check_page(t, &user, &d, &p, &a, &r, &f.cid))
    };
    run.await.unwrap_or_else(|e| fail(t, e))
}

#[derive(Deserialize)]
pub(super) struct SaveForm {
    csrf: String,
    cid: String,
    readings: String,
    #[serde(default)]
    confirmed: Option<String>,
}

pub(super) async fn save(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path((day, person)): Path<(String, String)>,
    Form(f): Form<SaveForm>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return csrf_failed(t);
    }
    let run = async {
        let (d, p) = load(&state, &user, &day, &person).await?;
        let mut r: Readings = serde_json::from_str(&f.readings)
            .map_err(|_| DayError::field("readings", "", "err-invalid"))?;
        r.confirmed = f.confirmed.is_some();
        let actor = user.actor();
        let visit = service::arrive(&state.store, &actor, &d, p.id, VisitId::new()).await?;
        match record::save_readings(&state.store, &actor, &d, &visit, &p, &r, client_id(&f.cid))
            .await
        {
            Ok(_) => {
                Ok(Redirect::to(&format!("/hari/{}/orang/{}/layanan", d.id, p.id)).into_response())
            }
            Err(DayError::Recheck(a)) => {
                let mut page = check_page(t, &user, &d, &p, &a, &r, &f.cid);
                *page.status_mut() = StatusCode::CONFLICT;
                Ok(page)
            }
            Err(e) => Err(e),
        }
    };
    run.await.unwrap_or_else(|e| fail(t, e))
}
