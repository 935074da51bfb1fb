//! `posyandu user list`: the accounts of the whole tree, or of one unit's subtree, as a
//! table with aligned columns (username, name, role, unit, active).

use std::collections::HashMap;

use store::{Actor, OrgUnit, OrgUnitId, Store, User};

use crate::out::say;
use crate::store_cmds::unit::unit_at;

const HEADER: [&str; 5] = ["NAMA PENGGUNA", "NAMA", "PERAN", "UNIT", "AKTIF"];

/// Prints the accounts under `under` (a path or a Kemendagri code; the whole tree when
/// absent), in path then username order.
pub async fn print(store: &Store, actor: &Actor, under: Option<&str>) -> anyhow::Result<()> {
    let (users, units) = gather(store, actor, under).await?;
    if users.is_empty() {
        say!("Belum ada pengguna di sini: buat dengan posyandu user add (lihat --help).")?;
        return Ok(());
    }
    let rows: Vec<[String; 5]> = users.iter().map(|u| row(u, &units)).collect();
    let mut widths = HEADER.map(|h| h.chars().count());
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    say!("{}", line(&HEADER.map(str::to_owned), &widths))?;
    for r in &rows {
        say!("{}", line(r, &widths))?;
    }
    let active = users.iter().filter(|u| u.active).count();
    say!("{} pengguna, {active} aktif.", users.len())?;
    Ok(())
}

/// The users to show and the units they belong to (for the unit column).
async fn gather(
    store: &Store,
    actor: &Actor,
    under: Option<&str>,
) -> anyhow::Result<(Vec<User>, HashMap<OrgUnitId, OrgUnit>)> {
    let roots: Vec<OrgUnit> = match under {
        Some(at) => vec![
            unit_at(store, actor, at)
                .await
                .map_err(|e| e.context(format!("--under '{at}'")))?,
        ],
        None => store
            .org_units_in_scope(actor)
            .await?
            .into_iter()
            .filter(|u| u.parent_id.is_none())
            .collect(),
    };
    let mut users = Vec::new();
    let mut units = HashMap::new();
    for root in &roots {
        users.extend(store.users_under(actor, root.id).await?);
        units.extend(
            store
                .org_units_under(actor, root.id)
                .await?
                .into_iter()
                .map(|u| (u.id, u)),
        );
    }
    Ok((users, units))
}

fn row(u: &User, units: &HashMap<OrgUnitId, OrgUnit>) -> [String; 5] {
    let unit = match units.get(&u.org_unit_id) {
        Some(o) => format!("{} {}", o.name, o.path),
        None => u.org_path.to_string(),
    };
    [
        u.username.clone(),
        u.display_name.clone(),
        u.role.code().to_owned(),
        unit,
        if u.active { "ya" } else { "tidak" }.to_owned(),
    ]
}

/// One table line: cells padded to their column's width (in characters), two spaces apart,
/// without trailing spaces.
fn line(cells: &[String; 5], widths: &[usize; 5]) -> String {
    let mut out = String::new();
    for (cell, w) in cells.iter().zip(widths) {
        out.push_str(cell);
        out.extend(std::iter::repeat_n(
            ' ',
            w.saturating_sub(cell.chars().count()) + 2,
        ));
    }
    out.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::line;

    #[test]
    fn columns_align_by_characters() {
        let widths = [5, 3, 1, 1, 2];
        let cells = [
            "ab".to_owned(),
            "é".into(),
            "x".into(),
            "y".into(),
            "".into(),
        ];
        assert_eq!(line(&cells, &widths), "ab     é    x  y");
    }
}
