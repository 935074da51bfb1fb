//! The new-user form: what was posted, the choices the admin has (roles they may give,
//! units of their subtree), and the checks, each failure naming the field and the value in
//! the user's language. The store checks scope and the role rule again on write.

use serde::Deserialize;
use store::password::{self, MAX_CHARS, MIN_CHARS, PasswordError};
use store::{NewUser, OrgUnit, OrgUnitId, Role, StoreError, UserId};

use crate::i18n::Tr;

/// Longest username and display name accepted (the inputs say so too).
pub const MAX_NAME_CHARS: usize = 64;

/// The posted fields; missing ones are empty, so a check names them.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct NewUserForm {
    pub csrf: String,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub unit: String,
    pub password: String,
    pub password2: String,
}

/// What the admin may choose from.
pub struct Choices {
    /// Roles the admin may give ([`store::Actor::manageable_roles`]).
    pub roles: Vec<Role>,
    /// The units of the admin's subtree, in path order.
    pub units: Vec<OrgUnit>,
}

/// Messages by field name (`username`, `display_name`, `role`, `unit`, `password`,
/// `password2`), in the order found.
#[derive(Debug, Default, Clone)]
pub struct FieldErrors(Vec<(&'static str, String)>);

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, message: String) {
        self.0.push((field, message));
    }
    /// The first message for `field`, for the template.
    pub fn of(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn messages(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(_, m)| m.as_str())
    }
}

/// A form that passed the checks.
pub struct Checked {
    pub new: NewUser,
    pub password: String,
}

fn label(t: Tr, field: &str) -> String {
    t.t(&format!("admin-field-{field}"))
}

/// `key` with the field's label and the value sent.
fn message(t: Tr, key: &str, field: &str, value: &str) -> String {
    crate::i18n::format(
        t.lang,
        key,
        &[("field", &label(t, field)), ("value", value)],
    )
}

fn check_name(t: Tr, errors: &mut FieldErrors, field: &'static str, value: &str) {
    let n = value.chars().count();
    if value.is_empty() {
        errors.add(field, message(t, "admin-err-required", field, value));
    } else if n > MAX_NAME_CHARS {
        let max = MAX_NAME_CHARS.to_string();
        let got = n.to_string();
        errors.add(
            field,
            crate::i18n::format(
                t.lang,
                "admin-err-too-long",
                &[("field", &label(t, field)), ("got", &got), ("max", &max)],
            ),
        );
    }
}

/// The role chosen, if it is one of `choices`; else an error on `role` (`refused` is the
/// message key for a known role the admin may not give).
fn check_role(
    t: Tr,
    errors: &mut FieldErrors,
    posted: &str,
    choices: &Choices,
    refused: &str,
) -> Option<Role> {
    match Role::from_code(posted.trim()) {
        None if posted.trim().is_empty() => {
            errors.add("role", message(t, "admin-err-required", "role", ""));
            None
        }
        None => {
            errors.add("role", message(t, "admin-err-role-unknown", "role", posted));
            None
        }
        Some(r) if !choices.roles.contains(&r) => {
            let shown = t.t(&format!("role-{}", r.code()));
            errors.add("role", message(t, refused, "role", &shown));
            None
        }
        Some(r) => Some(r),
    }
}

/// The unit chosen, if it is one of `choices` (the admin's subtree); else an error on `unit`.
fn check_unit(
    t: Tr,
    errors: &mut FieldErrors,
    posted: &str,
    choices: &Choices,
) -> Option<OrgUnitId> {
    let unit = OrgUnitId::parse(posted.trim())
        .ok()
        .filter(|id| choices.units.iter().any(|u| u.id == *id));
    if unit.is_none() {
        let key = if posted.trim().is_empty() {
            "admin-err-required"
        } else {
            "admin-err-unit-outside"
        };
        errors.add("unit", message(t, key, "unit", posted.trim()));
    }
    unit
}

/// The posted fields of the edit form (role and unit of an existing account). `version` is
/// the account's version when the form was shown: a change made meanwhile by someone else is
/// refused rather than overwritten.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct EditUserForm {
    pub csrf: String,
    pub version: String,
    pub role: String,
    pub unit: String,
}

/// An edit that passed the checks.
pub struct CheckedEdit {
    pub role: Role,
    pub unit: OrgUnitId,
    /// `None`: the form carried no readable version (not one this server showed).
    pub version: Option<i64>,
}

/// Checks the edit form's role and unit against the admin's choices (both at once).
pub fn check_edit(
    form: &EditUserForm,
    choices: &Choices,
    t: Tr,
) -> Result<CheckedEdit, FieldErrors> {
    let mut errors = FieldErrors::default();
    let role = check_role(
        t,
        &mut errors,
        &form.role,
        choices,
        "admin-err-role-not-given",
    );
    let unit = check_unit(t, &mut errors, &form.unit, choices);
    match (role, unit) {
        (Some(role), Some(unit)) => Ok(CheckedEdit {
            role,
            unit,
            version: form.version.trim().parse().ok(),
        }),
        _ => Err(errors),
    }
}

/// Checks every field (all failures at once, so the admin fixes them in one go).
pub fn check(form: &NewUserForm, choices: &Choices, t: Tr) -> Result<Checked, FieldErrors> {
    let mut errors = FieldErrors::default();
    let username = form.username.trim();
    let display_name = form.display_name.trim();
    check_name(t, &mut errors, "username", username);
    if username.contains(char::is_whitespace) {
        errors.add(
            "username",
            message(t, "admin-err-username-space", "username", username),
        );
    }
    check_name(t, &mut errors, "display_name", display_name);

    let role = check_role(
        t,
        &mut errors,
        &form.role,
        choices,
        "admin-err-role-not-allowed",
    );
    let unit = check_unit(t, &mut errors, &form.unit, choices);

    if let Err(e) = password::check_rule(username, &form.password) {
        errors.add("password", password_message(t, &e));
    } else if form.password != form.password2 {
        errors.add(
            "password2",
            message(t, "admin-err-password-mismatch", "password2", ""),
        );
    }

    match (role, unit) {
        (Some(role), Some(org_unit_id)) if errors.is_empty() => Ok(Checked {
            new: NewUser {
                id: UserId::new(),
                username: username.to_owned(),
                display_name: display_name.to_owned(),
                role,
                org_unit_id,
            },
            password: form.password.clone(),
        }),
        _ => Err(errors),
    }
}

/// A refused password, naming the field and what was wrong (never the password).
pub fn password_message(t: Tr, e: &PasswordError) -> String {
    let field = label(t, "password");
    let (key, extra): (&str, Vec<(&str, String)>) = match e {
        PasswordError::TooShort { got } => (
            "admin-err-password-short",
            vec![("got", got.to_string()), ("min", MIN_CHARS.to_string())],
        ),
        PasswordError::TooLong { got } => (
            "admin-err-password-long",
            vec![("got", got.to_string()), ("max", MAX_CHARS.to_string())],
        ),
        PasswordError::ContainsUsername { username } => (
            "admin-err-password-username",
            vec![("value", username.clone())],
        ),
        PasswordError::ControlCharacter => ("admin-err-password-control", vec![]),
        PasswordError::Hash(_) | PasswordError::Random(_) => ("admin-err-store", vec![]),
    };
    let mut args: Vec<(&str, &str)> = vec![("field", &field)];
    args.extend(extra.iter().map(|(k, v)| (*k, v.as_str())));
    crate::i18n::format(t.lang, key, &args)
}

/// The username is someone's already (an account anywhere, active or not).
pub fn username_taken(t: Tr, value: &str) -> String {
    message(t, "admin-err-username-taken", "username", value)
}

/// A role or unit change the store refused, as a message on the field it concerns; `None`
/// for refusals that are not about the fields (the account itself, the database).
pub fn edit_store_message(
    t: Tr,
    e: &StoreError,
    form: &EditUserForm,
    new_role: Role,
) -> Option<(&'static str, String)> {
    match e {
        // The store names the role it refused: the new one is the field's fault, the old
        // one (an account the admin may not manage) is not.
        StoreError::RoleNotAllowed { target, .. } if *target == new_role => {
            let shown = t.t(&format!("role-{}", target.code()));
            Some((
                "role",
                message(t, "admin-err-role-not-given", "role", &shown),
            ))
        }
        StoreError::OutOfScope {
            entity: store::EntityKind::OrgUnit,
            ..
        }
        | StoreError::NotFound {
            entity: store::EntityKind::OrgUnit,
            ..
        } => Some((
            "unit",
            message(t, "admin-err-unit-outside", "unit", form.unit.trim()),
        )),
        _ => None,
    }
}

/// A write the store refused, as a message on the field it concerns; `None` for failures
/// that are not the admin's input (the database), which get an error page instead.
pub fn store_message(t: Tr, e: &StoreError, form: &NewUserForm) -> Option<(&'static str, String)> {
    match e {
        StoreError::RoleNotAllowed { target, .. } => {
            let shown = t.t(&format!("role-{}", target.code()));
            Some((
                "role",
                message(t, "admin-err-role-not-allowed", "role", &shown),
            ))
        }
        StoreError::OutOfScope { .. } | StoreError::NotFound { .. } => Some((
            "unit",
            message(t, "admin-err-unit-outside", "unit", form.unit.trim()),
        )),
        StoreError::Invalid { field, value, .. } if *field == "username" => {
            Some(("username", username_taken(t, value)))
        }
        StoreError::Invalid { field, value, .. } => {
            let field: &'static str = match *field {
                "display_name" => "display_name",
                _ => "username",
            };
            Some((field, message(t, "admin-err-invalid", field, value)))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn form() -> NewUserForm {
        NewUserForm {
            csrf: String::new(),
            username: "kader.baru".into(),
            display_name: "Kader Baru".into(),
            role: "kader".into(),
            unit: String::new(),
            password: "sandi-yang-panjang".into(),
            password2: "sandi-yang-panjang".into(),
        }
    }

    #[test]
    fn every_failure_names_its_field_and_value() {
        let choices = Choices {
            roles: vec![Role::Kader, Role::Bidan],
            units: vec![],
        };
        let f = NewUserForm {
            username: "kader baru".into(),
            role: "admin_dinkes".into(),
            unit: "bukan-id".into(),
            password2: "lain".into(),
            ..form()
        };
        let t = Tr::new(Lang::Id);
        let Err(e) = check(&f, &choices, t) else {
            panic!("accepted")
        };
        assert!(e.of("username").unwrap().contains("kader baru"), "{e:?}");
        assert!(e.of("role").unwrap().contains("Admin Dinkes"), "{e:?}");
        assert!(e.of("unit").unwrap().contains("bukan-id"), "{e:?}");
        assert!(e.of("password2").is_some(), "{e:?}");
        assert!(e.of("display_name").is_none());
        let short = NewUserForm {
            password: "pendek".into(),
            ..form()
        };
        let Err(e) = check(&short, &choices, Tr::new(Lang::En)) else {
            panic!("accepted")
        };
        let m = e.of("password").unwrap();
        assert!(
            m.contains("Initial password") && m.contains('6') && m.contains("10"),
            "{m}"
        );
        assert!(!m.contains("pendek"), "never the password: {m}");
    }
}
