//! `/ekspor/eppgbm`: the month's weighings of a unit as e-PPGBM's export sheet
//! (`report::eppgbm`), for the Puskesmas nutrition officer to upload instead of re-typing.
//! Audited like every list of persons that leaves the database.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::page::download;
use super::query::TargetQuery;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::day::DayError;
use crate::day::pages::{fail, today};
use crate::i18n::Tr;

pub(super) async fn export(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Query(q): Query<TargetQuery>,
) -> Response {
    // The unit and month as the lists parse them (the list itself does not matter here).
    let asked = match q.asked(Some("imunisasi"), user.user().org_unit_id, today()) {
        Ok(a) => a,
        Err(e) => return (StatusCode::UNPROCESSABLE_ENTITY, e.message(t)).into_response(),
    };
    let actor = user.actor();
    let run = async {
        let unit = state.store.org_unit(&actor, asked.unit).await?;
        let table = report::eppgbm::export(&state.store, &actor, asked.unit, asked.month).await?;
        let month = format!(
            "{:04}-{:02}",
            asked.month.year(),
            u8::from(asked.month.month())
        );
        let csv = q.format.as_deref() == Some("csv");
        state
            .store
            .record_view(
                &actor,
                store::codes::EntityKind::OrgUnit,
                unit.id.0,
                &unit.path,
                &serde_json::json!({
                    "export": "e-PPGBM",
                    "month": month,
                    "rows": table.rows.len(),
                    "as": if csv { "csv" } else { "xlsx" },
                }),
            )
            .await?;
        let name = format!("eppgbm-{}-{month}", unit.code);
        let bytes = if csv {
            table.csv()
        } else {
            table.xlsx(report::eppgbm::SHEET)
        }
        .map_err(|e| DayError::field("format", &e.to_string(), "err-invalid"))?;
        Ok::<_, DayError>(if csv {
            download(bytes, "text/csv; charset=utf-8", &format!("{name}.csv"))
        } else {
            download(
                bytes,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                &format!("{name}.xlsx"),
            )
        })
    };
    run.await.unwrap_or_else(|e| fail(t, e))
}
