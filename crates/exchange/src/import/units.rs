//! Which posyandu a register row belongs to: the unit of the import itself when it is a
//! posyandu and the row names none, else the desa by Kemendagri code (or by its name, as
//! e-PPGBM writes it) and the post by code or name. Only units under the import's unit are
//! candidates: a row for a posyandu elsewhere is refused here, before anything is read.

use store::model::{OrgLevel, OrgUnit};

use crate::register::{RowError, UnitRef};

use super::messages::Tr;

/// Index into `units` of the row's posyandu (or poskestren), or why there is none.
pub fn resolve_unit(
    tr: Tr,
    scope: &OrgUnit,
    units: &[OrgUnit],
    r: &UnitRef,
    line: u64,
) -> Result<usize, RowError> {
    let is_post = |u: &OrgUnit| matches!(u.level, OrgLevel::Posyandu | OrgLevel::Poskestren);
    let fail = |field: &'static str, value: &str, reason: String| RowError {
        line,
        field,
        value: value.to_owned(),
        reason,
    };
    let pick_post = |under: &OrgUnit, want: &str| {
        let w = want.trim().to_lowercase();
        units.iter().position(|u| {
            is_post(u)
                && u.parent_id == Some(under.id)
                && (u.code.to_lowercase() == w
                    || u.name.to_lowercase() == w
                    || u.name.to_lowercase() == format!("posyandu {w}"))
        })
    };
    let own = || {
        units
            .iter()
            .position(|u| u.id == scope.id)
            .ok_or_else(|| fail("posyandu", "", tr.unit_missing()))
    };
    let in_desa = |d: &OrgUnit, post: &Option<String>| match post {
        Some(p) => pick_post(d, p).ok_or_else(|| fail("posyandu", p, tr.post_not_in(&d.name))),
        None => {
            let posts: Vec<usize> = units
                .iter()
                .enumerate()
                .filter(|(_, u)| is_post(u) && u.parent_id == Some(d.id))
                .map(|(i, _)| i)
                .collect();
            match posts.as_slice() {
                [one] => Ok(*one),
                _ => Err(fail("posyandu", "", tr.post_required(&d.name, posts.len()))),
            }
        }
    };
    match (&r.desa_code, &r.posyandu) {
        (None, None) if r.desa_name.is_none() && is_post(scope) => own(),
        (None, post) if r.desa_name.is_some() => {
            let w = r.desa_name.as_deref().unwrap_or_default().trim();
            let hits: Vec<&OrgUnit> = units
                .iter()
                .filter(|u| u.level == OrgLevel::Village && u.name.eq_ignore_ascii_case(w))
                .collect();
            let names_scope = |p: &str| {
                let p = p.trim();
                scope.code.eq_ignore_ascii_case(p)
                    || scope.name.eq_ignore_ascii_case(p)
                    || scope.name.eq_ignore_ascii_case(&format!("posyandu {p}"))
            };
            match hits.as_slice() {
                [d] => in_desa(d, post),
                // An import for one posyandu: its desa is above it; the post names it.
                [] if is_post(scope) && post.as_deref().is_some_and(names_scope) => own(),
                [] => Err(fail("desa_kel", w, tr.desa_name_not_under(&scope.name))),
                _ => Err(fail("desa_kel", w, tr.desa_name_ambiguous())),
            }
        }
        (None, None) => Err(fail("posyandu", "", tr.posyandu_empty(&scope.name))),
        (Some(desa), post) => {
            let dotted = format!(
                "{}.{}.{}.{}",
                &desa[0..2],
                &desa[2..4],
                &desa[4..6],
                &desa[6..10]
            );
            let Some(d) = units.iter().find(|u| {
                u.level == OrgLevel::Village && u.region_code.as_deref() == Some(dotted.as_str())
            }) else {
                return Err(fail("kode_desa", &dotted, tr.desa_not_under(&scope.name)));
            };
            in_desa(d, post)
        }
        (None, Some(p)) => {
            let w = p.trim();
            if is_post(scope)
                && (scope.code.eq_ignore_ascii_case(w) || scope.name.eq_ignore_ascii_case(w))
            {
                return own();
            }
            let hits: Vec<usize> = units
                .iter()
                .enumerate()
                .filter(|(_, u)| {
                    is_post(u) && (u.name.eq_ignore_ascii_case(w) || u.code.eq_ignore_ascii_case(w))
                })
                .map(|(i, _)| i)
                .collect();
            match hits.as_slice() {
                [one] => Ok(*one),
                [] => Err(fail("posyandu", p, tr.post_not_under(&scope.name))),
                _ => Err(fail("posyandu", p, tr.post_ambiguous())),
            }
        }
    }
}
