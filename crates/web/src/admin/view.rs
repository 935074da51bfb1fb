//! The admin pages' templates and the rows they show.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use store::{OrgUnitId, Principal, Store, StoreError, UserId};

use super::form::{Choices, EditUserForm, FieldErrors, NewUserForm};
use crate::auth::CurrentUser;
use crate::i18n::Tr;
use crate::pages::Layout;

/// One account as the list shows it.
pub struct UserRow {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub unit: String,
    pub active: bool,
    /// Whether this admin may deactivate it (active, a role they manage, not themselves).
    pub can_deactivate: bool,
    /// Whether this admin may let it log in again (inactive, a role they manage).
    pub can_reactivate: bool,
    /// Whether this admin may change its role and unit (a role they manage, not themselves).
    pub can_edit: bool,
    /// Just created or deactivated (named in the notice).
    pub just_changed: bool,
    /// The admin's own account.
    pub is_me: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_users.html")]
pub struct ListPage {
    t: Tr,
    css: String,
    csrf: String,
    scope: String,
    users: Vec<UserRow>,
    can_create: bool,
    notice: Option<String>,
    alert: Option<String>,
}

/// The users of the admin's subtree; `done` names one just created or deactivated, and
/// `alert` is a refusal to show above the list.
pub async fn list_page(
    store: &Store,
    t: Tr,
    user: &CurrentUser,
    done: Option<(&str, UserId)>,
    alert: Option<String>,
) -> Result<ListPage, StoreError> {
    let actor = user.actor();
    let me = user.user();
    let units: HashMap<OrgUnitId, String> = store
        .org_units_under(&actor, me.org_unit_id)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let users = store.users_under(&actor, me.org_unit_id).await?;
    let mut notice = None;
    let rows = users
        .into_iter()
        .map(|u| {
            let just_changed = done.is_some_and(|(_, id)| id == u.id);
            if let Some((key, _)) = done.filter(|_| just_changed) {
                notice = Some(crate::i18n::format(
                    t.lang,
                    key,
                    &[("name", &u.display_name), ("username", &u.username)],
                ));
            }
            let is_me = actor.principal == Principal::User(u.id);
            UserRow {
                id: u.id.to_string(),
                can_deactivate: u.active && actor.may_manage(u.role) && !is_me,
                can_reactivate: !u.active && actor.may_manage(u.role) && !is_me,
                can_edit: actor.may_manage(u.role) && !is_me,
                is_me,
                role: t.t(&format!("role-{}", u.role.code())),
                unit: units
                    .get(&u.org_unit_id)
                    .cloned()
                    .unwrap_or_else(|| u.org_path.to_string()),
                active: u.active,
                just_changed,
                username: u.username,
                display_name: u.display_name,
            }
        })
        .collect();
    let l = Layout::new(t);
    Ok(ListPage {
        t: l.t,
        css: l.css,
        csrf: user.csrf().to_owned(),
        scope: units
            .get(&me.org_unit_id)
            .cloned()
            .unwrap_or_else(|| me.org_path.to_string()),
        users: rows,
        can_create: !actor.manageable_roles().is_empty(),
        notice,
        alert,
    })
}

/// A choice in a select.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_user_new.html")]
pub struct FormPage {
    t: Tr,
    css: String,
    csrf: String,
    form: NewUserForm,
    roles: Vec<Opt>,
    units: Vec<Opt>,
    errors: FieldErrors,
    password_hint: String,
}

/// The role and unit selects, with `role` and `unit` (as posted) selected.
fn options(t: Tr, choices: &Choices, role: &str, unit: &str) -> (Vec<Opt>, Vec<Opt>) {
    let roles = choices
        .roles
        .iter()
        .map(|r| Opt {
            value: r.code().to_owned(),
            label: t.t(&format!("role-{}", r.code())),
            selected: role == r.code(),
        })
        .collect();
    let base = choices.units.first().map_or(0, |u| u.path.depth());
    let units = choices
        .units
        .iter()
        .map(|u| {
            let id = u.id.to_string();
            // Indented by depth below the admin's unit (non-breaking spaces survive in a select).
            let indent = "\u{a0}\u{a0}".repeat(u.path.depth().saturating_sub(base));
            Opt {
                selected: unit == id,
                value: id,
                label: format!("{indent}{}", u.name),
            }
        })
        .collect();
    (roles, units)
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_user_edit.html")]
pub struct EditPage {
    t: Tr,
    css: String,
    csrf: String,
    id: String,
    username: String,
    display_name: String,
    /// The account's role and unit now, in words.
    current: String,
    version: String,
    roles: Vec<Opt>,
    units: Vec<Opt>,
    errors: FieldErrors,
    alert: Option<String>,
}

/// The edit form of `target`: its role and unit selected (or what was posted, with its
/// errors), and `alert` for a refusal that is not about one field.
pub fn edit_page(
    t: Tr,
    user: &CurrentUser,
    choices: &Choices,
    target: &store::User,
    posted: Option<&EditUserForm>,
    errors: &FieldErrors,
    alert: Option<String>,
) -> EditPage {
    let (role, unit, version) = match posted {
        Some(p) => (p.role.clone(), p.unit.clone(), p.version.clone()),
        None => (
            target.role.code().to_owned(),
            target.org_unit_id.to_string(),
            target.meta.version.to_string(),
        ),
    };
    let (roles, units) = options(t, choices, &role, &unit);
    let unit_name = choices
        .units
        .iter()
        .find(|u| u.id == target.org_unit_id)
        .map_or_else(|| target.org_path.to_string(), |u| u.name.clone());
    let l = Layout::new(t);
    EditPage {
        t: l.t,
        css: l.css,
        csrf: user.csrf().to_owned(),
        id: target.id.to_string(),
        username: target.username.clone(),
        display_name: target.display_name.clone(),
        current: format!(
            "{} · {unit_name}",
            t.t(&format!("role-{}", target.role.code()))
        ),
        version,
        roles,
        units,
        errors: errors.clone(),
        alert,
    }
}

/// The new-user form, filled with what was posted (never the passwords) and its errors.
pub fn form_page(
    t: Tr,
    user: &CurrentUser,
    choices: &Choices,
    posted: &NewUserForm,
    errors: &FieldErrors,
) -> FormPage {
    let (roles, units) = options(t, choices, &posted.role, &posted.unit);
    let min = store::password::MIN_CHARS.to_string();
    let max = store::password::MAX_CHARS.to_string();
    let l = Layout::new(t);
    FormPage {
        t: l.t,
        css: l.css,
        csrf: user.csrf().to_owned(),
        form: NewUserForm {
            password: String::new(),
            password2: String::new(),
            csrf: String::new(),
            ..posted.clone()
        },
        roles,
        units,
        errors: errors.clone(),
        password_hint: crate::i18n::format(
            t.lang,
            "admin-password-hint",
            &[("min", &min), ("max", &max)],
        ),
    }
}
