//! Passwords: the rule a new password must meet, argon2id hashing to a PHC string, and
//! constant-time verification.
//!
//! Parameters are OWASP's first recommended argon2id configuration (Password Storage Cheat
//! Sheet): m = 19 MiB (19,456 KiB), t = 2 passes, p = 1 lane, 16-byte random salt, 32-byte
//! output. Measured on the 2-core development machine: about 45 ms per hash in a release
//! build (`store_password` test prints it; the dev profile is ~10× slower). That is slow
//! enough to make an offline guess expensive, and cheap enough for a server that checks a
//! handful of logins per second. Hash in `tokio::task::spawn_blocking` (see [`hash_async`]):
//! it must not stall the async executor.
//!
//! Verification reads the parameters from the stored PHC string, so raising them later only
//! affects new hashes, and old ones keep working.

use std::fmt;

use argon2::password_hash::phc::PasswordHash as Phc;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

/// Shortest password accepted. NIST SP 800-63B asks for at least 8 characters and says
/// length, not composition rules, is what makes a password strong; 10 leaves a margin while
/// staying typeable on a cheap phone keyboard (login throttling bounds online guessing).
pub const MIN_CHARS: usize = 10;
/// Longest password accepted (NIST: allow at least 64). The bound keeps a request from
/// handing the hasher megabytes.
pub const MAX_CHARS: usize = 128;

/// OWASP: m = 19 MiB, t = 2, p = 1.
const M_COST_KIB: u32 = 19 * 1024;
const T_COST: u32 = 2;
const P_COST: u32 = 1;

/// Why a password was refused or could not be hashed. The password itself is never part
/// of the message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("kata sandi terlalu pendek: {got} karakter, minimal {MIN_CHARS}")]
    TooShort { got: usize },
    #[error("kata sandi terlalu panjang: {got} karakter, maksimal {MAX_CHARS}")]
    TooLong { got: usize },
    #[error("kata sandi tidak boleh memuat nama login '{username}'")]
    ContainsUsername { username: String },
    #[error("kata sandi tidak boleh berisi baris baru atau karakter kontrol")]
    ControlCharacter,
    #[error("hash kata sandi gagal: {0}")]
    Hash(String),
    #[error("tidak ada bilangan acak dari sistem operasi: {0}")]
    Random(String),
}

/// An argon2id PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`). Its `Debug` and
/// `Display` never show it, so it cannot end up in a log line or an error by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct PasswordHash(String);

impl PasswordHash {
    /// The PHC string, for writing to the database (and nothing else).
    pub fn as_phc(&self) -> &str {
        &self.0
    }

    /// A stored PHC string, checked to be one. `None` for text that is not.
    pub fn from_phc(text: &str) -> Option<PasswordHash> {
        Phc::new(text).ok().map(|_| PasswordHash(text.to_owned()))
    }
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHash(<redacted>)")
    }
}

/// Checks the password rule: [`MIN_CHARS`]..=[`MAX_CHARS`] characters, no control
/// characters (a pasted newline is a mistake, not a secret), and not containing the
/// username (ignoring case), the first thing an attacker tries.
pub fn check_rule(username: &str, password: &str) -> Result<(), PasswordError> {
    let got = password.chars().count();
    if got < MIN_CHARS {
        return Err(PasswordError::TooShort { got });
    }
    if got > MAX_CHARS {
        return Err(PasswordError::TooLong { got });
    }
    if password.chars().any(char::is_control) {
        return Err(PasswordError::ControlCharacter);
    }
    let name = username.trim().to_lowercase();
    if !name.is_empty() && password.to_lowercase().contains(&name) {
        return Err(PasswordError::ContainsUsername {
            username: username.trim().to_owned(),
        });
    }
    Ok(())
}

fn hasher() -> Result<Argon2<'static>, PasswordError> {
    let params = Params::new(M_COST_KIB, T_COST, P_COST, Some(32))
        .map_err(|e| PasswordError::Hash(e.to_string()))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a password with a fresh random salt (from the operating system's CSPRNG). Does
/// not check the rule: new passwords go through [`hash_new`].
pub fn hash(password: &str) -> Result<PasswordHash, PasswordError> {
    let phc = hasher()?
        .hash_password(password.as_bytes())
        .map_err(|e| PasswordError::Hash(e.to_string()))?;
    Ok(PasswordHash(phc.to_string()))
}

/// Checks the rule for `username`, then hashes.
pub fn hash_new(username: &str, password: &str) -> Result<PasswordHash, PasswordError> {
    check_rule(username, password)?;
    hash(password)
}

/// [`hash_new`] on tokio's blocking pool, for async callers (the web server).
pub async fn hash_async(username: String, password: String) -> Result<PasswordHash, PasswordError> {
    tokio::task::spawn_blocking(move || hash_new(&username, &password))
        .await
        .map_err(|e| PasswordError::Hash(e.to_string()))?
}

/// Whether `password` matches `stored`. The comparison of the hash outputs is constant-time
/// (argon2's `Output` compares with `subtle`). With no stored hash (unknown user, or a user
/// without a password) a dummy hash is verified instead and `false` returned, so the answer
/// takes the same time and does not tell which usernames exist.
pub fn verify(password: &str, stored: Option<&PasswordHash>) -> bool {
    let Ok(argon) = hasher() else { return false };
    let Some(stored) = stored else {
        if let Ok(dummy) = Phc::new(DUMMY) {
            let _ = argon.verify_password(password.as_bytes(), &dummy);
        }
        return false;
    };
    match Phc::new(&stored.0) {
        Ok(phc) => argon.verify_password(password.as_bytes(), &phc).is_ok(),
        Err(_) => false,
    }
}

/// A hash of a random string with the current parameters, verified when there is no real
/// hash so that a failed login costs the same either way.
const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$Y3ptWnRxbGJtcUZ1c0x4dg$QkZ1cGJ0c2lWd0ZQa2x4b2hGc0pxR1Q5dE1pS1hxY0E";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_counts_characters_and_refuses_the_username() {
        assert_eq!(
            check_rule("budi", "pendek"),
            Err(PasswordError::TooShort { got: 6 })
        );
        // Ten characters, some of them multi-byte: counted as characters, not bytes.
        assert_eq!(check_rule("budi", "ééééééééé1"), Ok(()));
        assert_eq!(
            check_rule("kader.melati", "xxKADER.MELATIxx"),
            Err(PasswordError::ContainsUsername {
                username: "kader.melati".into()
            })
        );
        assert_eq!(
            check_rule("budi", &"a".repeat(MAX_CHARS + 1)),
            Err(PasswordError::TooLong { got: MAX_CHARS + 1 })
        );
        assert_eq!(
            check_rule("budi", "sandi panjang\n"),
            Err(PasswordError::ControlCharacter)
        );
    }

    #[test]
    fn hash_verifies_only_its_password_and_hides_itself() {
        let h = hash_new("budi", "kuda-lumping-77").unwrap();
        assert!(h.as_phc().starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("kuda-lumping-77", Some(&h)));
        assert!(!verify("kuda-lumping-78", Some(&h)));
        assert!(!verify("kuda-lumping-77", None));
        // A fresh salt each time: the same password never gives the same string.
        let again = hash("kuda-lumping-77").unwrap();
        assert_ne!(again, h);
        let shown = format!("{h:?}");
        assert!(!shown.contains("argon2"), "{shown}");
        assert_eq!(PasswordHash::from_phc(h.as_phc()), Some(h));
        assert_eq!(PasswordHash::from_phc("not a hash"), None);
    }

    #[test]
    fn the_dummy_is_a_valid_hash_with_the_current_parameters() {
        let phc = Phc::new(DUMMY).unwrap();
        let fresh = hash("anything-long").unwrap();
        let fresh = Phc::new(fresh.as_phc()).unwrap();
        assert_eq!(phc.algorithm, fresh.algorithm);
        assert_eq!(phc.params, fresh.params);
    }
}

/// Characters of a temporary password: no look-alikes (0/O, 1/l/I), easy to read out.
const TEMPORARY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// A temporary password an admin reads out to a user who forgot theirs: 12 characters of
/// a 31-letter alphabet (about 59 bits), from the operating system's randomness, in three
/// groups for reading aloud (`abcd-efgh-jkmn`).
pub fn temporary() -> Result<String, PasswordError> {
    let mut out = String::with_capacity(14);
    let mut filled = 0;
    while filled < 12 {
        let mut b = [0u8; 16];
        getrandom::fill(&mut b).map_err(|e| PasswordError::Random(e.to_string()))?;
        // Rejection sampling keeps every character equally likely.
        let limit = 256 - 256 % TEMPORARY_ALPHABET.len();
        for x in b.iter().map(|x| usize::from(*x)).filter(|x| *x < limit) {
            if filled == 12 {
                break;
            }
            if filled > 0 && filled % 4 == 0 {
                out.push('-');
            }
            out.push(char::from(TEMPORARY_ALPHABET[x % TEMPORARY_ALPHABET.len()]));
            filled += 1;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod temporary_tests {
    use super::*;

    #[test]
    fn temporary_passwords_are_readable_and_differ() {
        let a = temporary().unwrap_or_default();
        let b = temporary().unwrap_or_default();
        assert_eq!(a.len(), 14, "{a}");
        assert_eq!(a.matches('-').count(), 2);
        assert!(
            a.chars()
                .all(|c| c == '-' || TEMPORARY_ALPHABET.contains(&(c as u8)))
        );
        assert_ne!(a, b);
        assert!(
            check_rule("pengguna.x", &a).is_ok(),
            "a temporary password passes the rules"
        );
    }
}
