//! Logging in: a user's password, server-side sessions, and login failures for throttling.
//!
//! - A session is a random 256-bit token (from the operating system's CSPRNG) given to the
//!   client once; the database keeps only its SHA-256, so a copy of the database holds no
//!   usable session. Each session has its own CSRF token for the forms it posts.
//! - Expiry slides with use ([`SessionPolicy::idle`]) but never past an absolute maximum
//!   after login ([`SessionPolicy::absolute`]): cadres stay logged in across a month of
//!   offline replays, and a stolen cookie still dies.
//! - Login failures are rows keyed `user:NAME` or `addr:IP`, counted in a window: they
//!   survive a restart and are shared by several servers on one PostgreSQL.
//!
//! Every time comes from the caller (`now`), never from SQL `now()`, so that tests and
//! several servers agree. Times are stored in UTC rounded down to the second: SQLite keeps
//! them as RFC 3339 text, and text compares as the instants only at one fixed precision.
//!
//! Password changes, deactivation and "log out everywhere" change a user, and so go through
//! a [`Tx`] (scoped and audited, the hash never in the audit). Session and failure rows are
//! single statements on the pool: a page view must not wait for SQLite's write lock longer
//! than one UPDATE.

use std::fmt;
use std::net::IpAddr;

use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::codes::{AuditAction, EntityKind};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::fetch::{execute, fetch_opt};
use crate::ids::UserId;
use crate::model::User;
use crate::password::PasswordHash;
use crate::row::{self, Get};
use crate::tx::Tx;

/// How long a session lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// Without use for this long, the session expires.
    pub idle: Duration,
    /// Never longer than this after login, however often it is used.
    pub absolute: Duration,
}

impl Default for SessionPolicy {
    /// 30 days idle (a posyandu opens monthly, and offline replays carry the cookie),
    /// 90 days at most.
    fn default() -> Self {
        SessionPolicy {
            idle: Duration::days(30),
            absolute: Duration::days(90),
        }
    }
}

/// A secret given to the client: the session token or the CSRF token. 32 random bytes as
/// 64 lower-case hex digits. Its `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// A fresh secret from the operating system's CSPRNG.
    pub fn random() -> Result<Secret> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| StoreError::Random(e.to_string()))?;
        Ok(Secret(hex(&bytes)))
    }

    /// The text to put in the cookie or the form.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A secret received from a client (a cookie value, a form field).
    pub fn from_client(text: &str) -> Secret {
        Secret(text.to_owned())
    }

    /// Compares with what a client sent, in constant time (for the CSRF check).
    pub fn matches(&self, sent: &str) -> bool {
        let (a, b) = (self.0.as_bytes(), sent.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }

    fn sha256(&self) -> String {
        hex(&Sha256::digest(self.0.as_bytes()))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    s
}

/// UTC, whole seconds: the one form times of this module are stored and compared in.
fn second(t: OffsetDateTime) -> OffsetDateTime {
    let t = t.to_offset(time::UtcOffset::UTC);
    t.replace_nanosecond(0).unwrap_or(t)
}

/// What a login needs to know about a user.
#[derive(Debug, Clone, PartialEq)]
pub struct Credentials {
    pub user: User,
    /// `None`: no password was ever set, the user cannot log in.
    pub password_hash: Option<PasswordHash>,
    pub password_set_at: Option<OffsetDateTime>,
}

impl Credentials {
    /// An active user with a password. (Check this and verify the password either way, so
    /// that the time taken does not tell which it was: [`crate::password::verify`] with
    /// `None` costs the same as a real check.)
    pub fn can_log_in(&self) -> bool {
        self.user.active && self.user.meta.deleted.is_none() && self.password_hash.is_some()
    }
}

/// A new session: the raw token is only ever here, once.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: Secret,
    pub session: Session,
}

/// A live session and its user.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: Uuid,
    pub user: User,
    /// Must come back with every form this session posts.
    pub csrf_token: Secret,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
    /// The client address at login, as the server saw it.
    pub client_addr: Option<String>,
}

/// The key a login failure is counted under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginKey(String);

impl LoginKey {
    /// `user:NAME`, the name trimmed and lower-cased (so that `Budi` and `budi` share one
    /// count, whether or not the account exists).
    pub fn user(username: &str) -> LoginKey {
        LoginKey(format!("user:{}", username.trim().to_lowercase()))
    }

    /// `addr:IP`. An IPv6 address counts by its /64, which one household or phone usually
    /// gets whole: otherwise a client could pick a fresh address for every guess.
    pub fn addr(ip: IpAddr) -> LoginKey {
        match ip {
            IpAddr::V4(v4) => LoginKey(format!("addr:{v4}")),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => LoginKey(format!("addr:{v4}")),
                None => {
                    let s = v6.segments();
                    LoginKey(format!(
                        "addr:{:x}:{:x}:{:x}:{:x}::/64",
                        s[0], s[1], s[2], s[3]
                    ))
                }
            },
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn credentials(r: &impl Get) -> Result<Credentials> {
    let password_hash = match r.opt_text("password_hash")? {
        None => None,
        Some(text) => Some(PasswordHash::from_phc(&text).ok_or(StoreError::Corrupt {
            column: "app_user.password_hash",
            // Never the text: it may be a (malformed) hash.
            value: "<redacted>".into(),
        })?),
    };
    Ok(Credentials {
        user: row::user(r)?,
        password_hash,
        password_set_at: r.opt_time("password_set_at")?,
    })
}

fn session(r: &impl Get) -> Result<Session> {
    let id = r.text("session_id")?;
    Ok(Session {
        id: Uuid::parse_str(&id).map_err(|_| StoreError::Corrupt {
            column: "session.id",
            value: id.clone(),
        })?,
        user: row::user(r)?,
        csrf_token: Secret(r.text("csrf_token")?),
        created_at: r.time("session_created_at")?,
        expires_at: r.time("expires_at")?,
        last_seen_at: r.time("last_seen_at")?,
        client_addr: r.opt_text("client_addr")?,
    })
}

/// The live session with this token hash at `$2`: not revoked, not expired, user active.
const LIVE_SESSION: &str = "SELECT s.id AS session_id, s.csrf_token, s.created_at AS session_created_at, \
     s.expires_at, s.last_seen_at, s.client_addr, u.* \
     FROM session s JOIN app_user u ON u.id = s.user_id \
     WHERE s.token_sha256 = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 \
     AND u.active AND u.deleted_at IS NULL";

/// How stale `last_seen_at` may get before a request writes it again.
pub const TOUCH_EVERY: time::Duration = time::Duration::minutes(1);

impl Store {
    /// A user's login data by username (unscoped: nobody is logged in yet). Inactive users
    /// are returned too; see [`Credentials::can_log_in`].
    pub async fn credentials(&self, username: &str) -> Result<Option<Credentials>> {
        fetch_opt!(
            on_pool,
            self,
            "SELECT * FROM app_user WHERE username = $1 AND deleted_at IS NULL",
            [username.trim()],
            credentials
        )
    }

    /// Starts a session for `user` at `now`. The returned token is the only copy: hand it
    /// to the client. Refuses a user who cannot log in (inactive, deleted, no password).
    pub async fn create_session(
        &self,
        user: UserId,
        now: OffsetDateTime,
        policy: SessionPolicy,
        client_addr: Option<&str>,
    ) -> Result<NewSession> {
        let now = second(now);
        let token = Secret::random()?;
        let csrf = Secret::random()?;
        let id = Uuid::now_v7().to_string();
        let expires = now + policy.idle.min(policy.absolute);
        let n = execute!(
            on_pool,
            self,
            "INSERT INTO session (id, token_sha256, user_id, csrf_token, created_at, expires_at, \
             last_seen_at, client_addr) \
             SELECT $1, $2, id, $3, $4, $5, $4, $6 FROM app_user \
             WHERE id = $7 AND active AND deleted_at IS NULL AND password_hash IS NOT NULL",
            [
                &id,
                token.sha256(),
                csrf.expose(),
                now,
                expires,
                client_addr,
                user.to_string()
            ]
        );
        if n != 1 {
            return Err(StoreError::invalid(
                "user_id",
                user,
                "pengguna tidak aktif atau belum punya kata sandi",
            ));
        }
        let session = self
            .session(&token, now)
            .await?
            .ok_or(StoreError::NotFound {
                entity: EntityKind::User,
                id: user.0,
            })?;
        Ok(NewSession { token, session })
    }

    /// The live session for a raw token at `now`; `None` when unknown, expired, revoked, or
    /// its user is inactive or deleted.
    pub async fn session(&self, token: &Secret, now: OffsetDateTime) -> Result<Option<Session>> {
        fetch_opt!(
            on_pool,
            self,
            LIVE_SESSION,
            [token.sha256(), second(now)],
            session
        )
    }

    /// Marks the session used at `now` and slides its expiry to `now + idle`, never past
    /// `created_at + absolute`. `None` (and nothing written) when it is no longer live.
    pub async fn touch_session(
        &self,
        token: &Secret,
        now: OffsetDateTime,
        policy: SessionPolicy,
    ) -> Result<Option<Session>> {
        let now = second(now);
        let Some(s) = self.session(token, now).await? else {
            return Ok(None);
        };
        // Sliding the expiry by less than a minute is not worth a write on every request
        // (a busy posyandu phone sends many): the session is live, answer it as read.
        if now - s.last_seen_at < TOUCH_EVERY {
            return Ok(Some(s));
        }
        let expires = (now + policy.idle).min(s.created_at + policy.absolute);
        let n = execute!(
            on_pool,
            self,
            "UPDATE session SET last_seen_at = $1, expires_at = $2 \
             WHERE token_sha256 = $3 AND revoked_at IS NULL AND expires_at > $1",
            [now, expires, token.sha256()]
        );
        if n != 1 {
            return Ok(None);
        }
        Ok(Some(Session {
            expires_at: expires,
            last_seen_at: now,
            ..s
        }))
    }

    /// Logs one session out. `true` when it was live.
    pub async fn revoke_session(&self, token: &Secret, now: OffsetDateTime) -> Result<bool> {
        let n = execute!(
            on_pool,
            self,
            "UPDATE session SET revoked_at = $1 WHERE token_sha256 = $2 AND revoked_at IS NULL",
            [second(now), token.sha256()]
        );
        Ok(n == 1)
    }

    /// Deletes sessions expired at `now` (revoked ones go when their expiry passes, so a
    /// recent logout stays visible for a while). Returns how many.
    pub async fn delete_expired_sessions(&self, now: OffsetDateTime) -> Result<u64> {
        Ok(execute!(
            on_pool,
            self,
            "DELETE FROM session WHERE expires_at <= $1",
            [second(now)]
        ))
    }

    /// Records one failed login under `key` at `at`.
    pub async fn record_login_failure(&self, key: &LoginKey, at: OffsetDateTime) -> Result<()> {
        execute!(
            on_pool,
            self,
            "INSERT INTO login_failure (key, at) VALUES ($1, $2)",
            [key.as_str(), second(at)]
        );
        Ok(())
    }

    /// Failed logins under `key` at or after `since`.
    pub async fn login_failures_since(&self, key: &LoginKey, since: OffsetDateTime) -> Result<u64> {
        let sql = "SELECT COUNT(*) FROM login_failure WHERE key = $1 AND at >= $2";
        let since = second(since);
        let n: i64 = crate::fetch::on_pool!(self, c => sqlx::query_scalar(sql)
            .bind(key.as_str())
            .bind(since)
            .fetch_one(c)
            .await?);
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Forgets the failures under `key` (after a successful login). Returns how many.
    pub async fn clear_login_failures(&self, key: &LoginKey) -> Result<u64> {
        Ok(execute!(
            on_pool,
            self,
            "DELETE FROM login_failure WHERE key = $1",
            [key.as_str()]
        ))
    }

    /// Deletes failures older than `before` (they no longer count in any window).
    pub async fn delete_login_failures_before(&self, before: OffsetDateTime) -> Result<u64> {
        Ok(execute!(
            on_pool,
            self,
            "DELETE FROM login_failure WHERE at < $1",
            [second(before)]
        ))
    }
}

impl Tx {
    /// Sets (or replaces) a user's password, and logs the user out everywhere: whoever knew
    /// the old password keeps no session. Audited as a change of the user, without the hash.
    pub async fn set_password(&mut self, user: UserId, hash: &PasswordHash) -> Result<User> {
        let state = self.row_state(EntityKind::User, user.0).await?;
        if state.deleted {
            return Err(StoreError::Deleted {
                entity: EntityKind::User,
                id: user.0,
            });
        }
        let now = second(self.now);
        let key = user.to_string();
        execute!(
            on_tx,
            self,
            "UPDATE app_user SET password_hash = $1, password_set_at = $2 WHERE id = $3",
            [hash.as_phc(), now, &key]
        );
        let revoked = self.revoke_sessions_of(user).await?;
        let detail = serde_json::json!({
            "changed": { "password": "<diganti>" },
            "sessions_revoked": revoked,
        });
        self.audit(
            AuditAction::Update,
            EntityKind::User,
            user.0,
            &state.path,
            &detail,
        )
        .await?;
        self.find_user(user).await
    }

    /// Logs a user out everywhere ("keluar dari semua perangkat"). Audited. Returns how
    /// many sessions were live.
    pub async fn revoke_user_sessions(&mut self, user: UserId) -> Result<u64> {
        let state = self.row_state(EntityKind::User, user.0).await?;
        let revoked = self.revoke_sessions_of(user).await?;
        let detail = serde_json::json!({ "sessions_revoked": revoked });
        self.audit(
            AuditAction::Update,
            EntityKind::User,
            user.0,
            &state.path,
            &detail,
        )
        .await?;
        Ok(revoked)
    }

    /// Revokes every unrevoked session of `user` at this transaction's time (no audit row:
    /// callers write the one for the change that caused it).
    pub(crate) async fn revoke_sessions_of(&mut self, user: UserId) -> Result<u64> {
        let now = second(self.now);
        Ok(execute!(
            on_tx,
            self,
            "UPDATE session SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
            [now, user.to_string()]
        ))
    }

    /// The credentials of a user in scope, read inside this transaction.
    pub async fn credentials(&mut self, user: UserId) -> Result<Credentials> {
        self.row_state(EntityKind::User, user.0).await?;
        let key = user.to_string();
        fetch_opt!(
            on_tx,
            self,
            "SELECT * FROM app_user WHERE id = $1",
            [&key],
            credentials
        )?
        .ok_or(StoreError::NotFound {
            entity: EntityKind::User,
            id: user.0,
        })
    }

    async fn find_user(&mut self, id: UserId) -> Result<User> {
        Ok(self.credentials(id).await?.user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_random_hex_and_hidden() {
        let a = Secret::random().unwrap();
        let b = Secret::random().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.expose().len(), 64);
        assert!(a.expose().bytes().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(format!("{a:?}"), "Secret(<redacted>)");
        assert!(a.matches(a.expose()));
        assert!(!a.matches(b.expose()));
        assert!(!a.matches(""));
        // SHA-256 of "abc" (FIPS 180-2 example).
        assert_eq!(
            Secret("abc".into()).sha256(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn login_keys_normalise_names_and_group_ipv6_by_64() {
        assert_eq!(LoginKey::user("  Budi ").as_str(), "user:budi");
        let v4: IpAddr = "192.0.2.7".parse().unwrap();
        assert_eq!(LoginKey::addr(v4).as_str(), "addr:192.0.2.7");
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(LoginKey::addr(mapped), LoginKey::addr(v4));
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        assert_eq!(LoginKey::addr(a), LoginKey::addr(b));
        assert_eq!(LoginKey::addr(a).as_str(), "addr:2001:db8:1:2::/64");
    }

    #[test]
    fn stored_times_are_utc_seconds() {
        let t = time::macros::datetime!(2026-12-01 20:45:09.123456 +07:00);
        let s = second(t);
        assert_eq!(s, time::macros::datetime!(2026-12-01 13:45:09 UTC));
        assert_eq!(s.offset(), time::UtcOffset::UTC);
    }
}
