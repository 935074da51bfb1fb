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

    pub fn can_see(&self, path: &OrgPath) -> bool {
        self.scope.contains(path)
    }
}
