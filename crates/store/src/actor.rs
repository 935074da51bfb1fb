//! Who is acting, and the subtree they may read and write. Every store call takes an
//! [`Actor`]; rows outside `scope` are refused with [`crate::StoreError::OutOfScope`].

use serde::{Deserialize, Serialize};

use crate::codes::Role;
use crate::ids::{OrgPath, UserId};
use crate::model::User;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Principal {
    User(UserId),
    /// A command run by an operator (`migrate`, `demo`, `import`): named in the audit.
    System(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub principal: Principal,
    pub role: Option<Role>,
    /// Root of the subtree this actor may see and change.
    pub scope: OrgPath,
}

impl Actor {
    /// An operator command with the whole tree in scope.
    pub fn system(name: &str) -> Actor {
        Actor {
            principal: Principal::System(name.to_owned()),
            role: None,
            scope: OrgPath::root(),
        }
    }

    /// A user acting within the subtree of their org unit.
    pub fn for_user(user: &User) -> Actor {
        Actor {
            principal: Principal::User(user.id),
            role: Some(user.role),
            scope: user.org_path.clone(),
        }
    }

    /// The same principal with a narrower scope (e.g. a test, or a user picking a posyandu).
    /// Scopes only narrow: a path outside the current scope keeps the current one.
    pub fn narrowed(&self, scope: &OrgPath) -> Actor {
        let mut a = self.clone();
        if self.scope.contains(scope) {
            a.scope = scope.clone();
        }
        a
    }

    /// How the actor is written in audit rows and `captured_by`.
    pub fn label(&self) -> String {
        match &self.principal {
            Principal::User(id) => id.to_string(),
            Principal::System(name) => format!("system:{name}"),
        }
    }

    /// Whether this actor may create, deactivate or reactivate accounts of `target` role
    /// (always only inside its scope, which the store checks separately):
    ///
    /// - an operator command (no role: `posyandu user …`, the demo) — any role;
    /// - [`Role::DinkesAdmin`] — any role;
    /// - [`Role::PuskesmasOfficer`] — [`Role::Kader`] and [`Role::Bidan`] accounts only;
    /// - [`Role::Bidan`] and [`Role::Kader`] — none.
    pub fn may_manage(&self, target: Role) -> bool {
        match self.role {
            None | Some(Role::DinkesAdmin) => true,
            Some(Role::PuskesmasOfficer) => matches!(target, Role::Kader | Role::Bidan),
            Some(Role::Bidan | Role::Kader) => false,
        }
    }

    /// The roles this actor may give a new account, in [`Role::ALL`] order.
    pub fn manageable_roles(&self) -> Vec<Role> {
        Role::ALL
            .iter()
            .copied()
            .filter(|r| self.may_manage(*r))
            .collect()
    }

    /// Checks [`Actor::may_manage`], as the store's error.
    pub(crate) fn check_may_manage(&self, target: Role) -> crate::error::Result<()> {
        match self.role {
            Some(actor) if !self.may_manage(target) => {
                Err(crate::error::StoreError::RoleNotAllowed { actor, target })
            }
            _ => Ok(()),
        }
    }

    pub fn can_see(&self, path: &OrgPath) -> bool {
        self.scope.contains(path)
    }
}
