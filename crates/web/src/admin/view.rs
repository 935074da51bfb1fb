//! The admin pages' templates and the rows they show.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use store::{OrgUnitId, Principal, Store, StoreError, UserId};

use super::form::{Choices, FieldErrors, NewUserForm};
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

/// The new-user form, filled with what was posted (never the passwords) and its errors.
pub fn form_page(
    t: Tr,
    user: &CurrentUser,
    choices: &Choices,
    posted: &NewUserForm,
    errors: &FieldErrors,
) -> FormPage {
    let roles = choices
        .roles
        .iter()
        .map(|r| Opt {
            value: r.code().to_owned(),
            label: t.t(&format!("role-{}", r.code())),
            selected: posted.role == r.code(),
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
                selected: posted.unit == id,
                value: id,
                label: format!("{indent}{}", u.name),
            }
        })
        .collect();
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
