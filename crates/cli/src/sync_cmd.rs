//! `posyandu sync`: keeps this laptop's database and a district server in step for the
//! subtree of one of the server's accounts, through the phones' protocol (`/api/v1/sync`).
//! One run: log in (`POST /api/v1/session`), push what was made, edited or deleted here
//! first (records registered here with their captures, in dependency order; the server
//! merges the laptop's person and household edits and deletions before the pull could
//! bring its own version), then pull the server's feed page by page, each page applied in one
//! transaction (`store::Store::apply_page`; the rules are in `store::apply`). A run cut
//! off anywhere resumes where it stopped; a run that cannot reach the server writes
//! nothing here. An item the server refuses for good (`"final"` in its answer) is parked
//! and listed once in the run's report; one refused for a reason that can change is sent
//! again next run. `serve --sync-server` runs the same on a schedule ([`schedule`]).

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use serde::Deserialize;
use store::{Applied, ChangePage, OutgoingItem, Parked, PushAnswer, Store};

use crate::out::say;
use crate::store_cmds::{self, DbArgs};

/// Rows of the laptop's own feed read per push request (a push takes at most 5,000 items).
const PUSH_ROWS: u32 = 1000;
/// Rows per pull page (the server's most).
const PULL_ROWS: u32 = 5000;

#[derive(clap::Args, Debug)]
pub struct SyncArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// The district server, e.g. https://posyandu.dinkes.example
    #[arg(long)]
    pub server: String,
    /// An account of the server: its subtree is what this laptop keeps.
    #[arg(long)]
    pub user: String,
    /// A file holding the account's password (one line; never given on the command line).
    #[arg(long)]
    pub password_file: PathBuf,
}

/// Where and as whom to sync.
#[derive(Clone)]
pub struct Target {
    pub server: String,
    pub user: String,
    password: String,
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("server", &self.server)
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

impl Target {
    /// The server URL and account, the password read from `password_file` (its first line).
    pub fn new(server: &str, user: &str, password_file: &Path) -> anyhow::Result<Target> {
        let text = std::fs::read_to_string(password_file)
            .with_context(|| format!("tidak bisa membaca {}", password_file.display()))?;
        let password = text.lines().next().unwrap_or("").to_owned();
        if password.is_empty() {
            bail!("{} tidak berisi kata sandi", password_file.display());
        }
        let server = server.trim().trim_end_matches('/').to_owned();
        if !(server.starts_with("http://") || server.starts_with("https://")) {
            bail!("--server {server}: harus http://… atau https://…");
        }
        Ok(Target {
            server,
            user: user.trim().to_owned(),
            password,
        })
    }
}

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Records registered here (households, persons, relationships, pregnancies,
    /// referrals) the server stored now.
    pub created: u64,
    /// Captures the server stored now (new to it).
    pub stored: u64,
    /// Captures and creates it had already (a resend).
    pub duplicates: u64,
    /// Person and household edits and deletions merged by the server (and creates sent
    /// again with other content, whose fields went to review).
    pub merged: u64,
    /// Fields those sent to the server's review list.
    pub reviews: u64,
    /// Items the server refused (kept here to send again, unless parked).
    pub refused: u64,
    /// Items parked by this run: refused for good (or pointing at one that was), not sent
    /// again until changed here. Each is reported by the run that parked it only.
    pub parked: Vec<Parked>,
    /// Changes made here that the protocol cannot send (org units and users made here,
    /// captures deleted here).
    pub not_sent: u64,
    /// Rows of the server's feed read, and what applying them did.
    pub pulled: u64,
    pub applied: Applied,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let a = &self.applied;
        write!(
            f,
            "dikirim: {} data baru, {} tersimpan, {} sudah ada, {} ditolak; perubahan data \
             digabung: {} ({} ke tinjauan); diterima: {} baris ({} ditulis, {} sudah sama, {} \
             perubahan laptop dipertahankan, {} menunggu)",
            self.created,
            self.stored,
            self.duplicates,
            self.refused,
            self.merged,
            self.reviews,
            self.pulled,
            a.written,
            a.unchanged,
            a.kept,
            a.parked
        )?;
        if self.not_sent > 0 {
            write!(
                f,
                "; {} perubahan laptop tidak bisa dikirim (unit, akun, hapus pengukuran)",
                self.not_sent
            )?;
        }
        if !self.parked.is_empty() {
            write!(
                f,
                "; {} ditolak server dan tidak dikirim lagi sampai diubah di laptop:",
                self.parked.len()
            )?;
            for p in &self.parked {
                write!(f, "\n  {} {}: {}", p.kind.code(), p.id, p.reason)?;
            }
        }
        Ok(())
    }
}

pub fn run(args: &SyncArgs) -> anyhow::Result<()> {
    let target = Target::new(&args.server, &args.user, &args.password_file)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let client = client()?;
        // Log in before the database is opened: an unreachable server changes nothing here.
        let session = login(&client, &target).await?;
        let store = store_cmds::open_migrated(&args.db).await?;
        let res = sync_session(&client, &store, &target, &session).await;
        logout(&client, &target, &session).await;
        store.close().await;
        let report = res?;
        say!("Sinkron dengan {}: {report}", target.server)?;
        Ok(())
    })
}

/// One sync run on an open store (the scheduled run of `serve`, and tests).
pub async fn sync_once(store: &Store, target: &Target) -> anyhow::Result<Report> {
    let client = client()?;
    let session = login(&client, target).await?;
    let res = sync_session(&client, store, target, &session).await;
    logout(&client, target, &session).await;
    res
}

/// Runs [`sync_once`] every `every` until the process ends: a failed run (the server
/// unreachable) is logged and the next one tries again; serving the phones goes on.
pub fn schedule(store: Store, target: Target, every: Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match sync_once(&store, &target).await {
                Ok(r) => tracing::info!(server = %target.server, report = %r, "sync done"),
                Err(e) => {
                    tracing::warn!(server = %target.server, error = %one_line(&e), "sync failed; retried next time")
                }
            }
        }
    });
}

fn one_line(e: &anyhow::Error) -> String {
    e.chain()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(": ")
}

/// Reads `5m`, `30s`, `2h` or a number of seconds.
pub fn parse_every(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let (num, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    let n: u64 = num
        .parse()
        .map_err(|_| format!("'{text}': tulis misalnya 30s, 5m atau 1h"))?;
    let secs = match unit {
        "" | "s" => n,
        "m" => n.saturating_mul(60),
        "h" => n.saturating_mul(3600),
        _ => return Err(format!("'{text}': satuan s, m atau h")),
    };
    if secs == 0 {
        return Err(format!("'{text}': harus lebih dari 0"));
    }
    Ok(Duration::from_secs(secs))
}

fn client() -> anyhow::Result<reqwest::Client> {
    // reqwest is built without a TLS provider of its own: ring, installed once per process.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(15))
        .timeout(Duration::from_secs(300))
        .build()
        .context("klien HTTP")
}

struct Session {
    token: String,
}

#[derive(Deserialize)]
struct SessionOut {
    token: String,
}

#[derive(Deserialize)]
struct ApiError {
    message: Option<String>,
    error: Option<String>,
}

/// The server's own message for a refused request, else its status.
async fn refused(res: reqwest::Response, what: &str) -> anyhow::Error {
    let status = res.status();
    let body: Option<ApiError> = res.json().await.ok();
    let msg = body
        .and_then(|b| b.message.or(b.error))
        .unwrap_or_else(|| status.to_string());
    anyhow!("{what}: server menjawab {}: {msg}", status.as_u16())
}

fn unreachable(target: &Target, e: reqwest::Error) -> anyhow::Error {
    // The error's URL never holds the password (it goes in the body).
    anyhow!("server {} tidak bisa dihubungi: {e}", target.server)
}

async fn login(client: &reqwest::Client, target: &Target) -> anyhow::Result<Session> {
    let body = serde_json::json!({ "username": target.user, "password": target.password });
    let res = client
        .post(format!("{}/api/v1/session", target.server))
        .json(&body)
        .send()
        .await
        .map_err(|e| unreachable(target, e))?;
    if !res.status().is_success() {
        return Err(refused(res, &format!("login {}", target.user)).await);
    }
    let s: SessionOut = res
        .json()
        .await
        .map_err(|e| anyhow!("jawaban login tidak terbaca: {e}"))?;
    Ok(Session { token: s.token })
}

async fn logout(client: &reqwest::Client, target: &Target, s: &Session) {
    let _ = client
        .delete(format!("{}/api/v1/session", target.server))
        .bearer_auth(&s.token)
        .send()
        .await;
}

#[derive(Deserialize)]
struct PushOut {
    results: Vec<PushResult>,
}

#[derive(Deserialize)]
struct PushResult {
    index: usize,
    status: String,
    #[serde(default)]
    reviews: Vec<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    field: Option<String>,
    /// Sending it again unchanged cannot succeed: parked here.
    #[serde(default, rename = "final")]
    is_final: bool,
}

async fn sync_session(
    client: &reqwest::Client,
    store: &Store,
    target: &Target,
    s: &Session,
) -> anyhow::Result<Report> {
    let mut report = Report::default();
    let mut first = true;
    loop {
        let batch = store.outgoing(&target.server, PUSH_ROWS, first).await?;
        first = false;
        report.not_sent += batch.not_sent;
        let mut answers = vec![PushAnswer::Retry; batch.items.len()];
        if !batch.items.is_empty() {
            let items: Vec<serde_json::Value> = batch.items.iter().map(|o| o.wire()).collect();
            let res = client
                .post(format!("{}/api/v1/sync/push", target.server))
                .bearer_auth(&s.token)
                .json(&serde_json::json!({ "captures": items }))
                .send()
                .await
                .map_err(|e| unreachable(target, e))?;
            if !res.status().is_success() {
                return Err(refused(res, "kirim").await);
            }
            let out: PushOut = res
                .json()
                .await
                .map_err(|e| anyhow!("jawaban kirim tidak terbaca: {e}"))?;
            for r in out.results {
                let Some(slot) = answers.get_mut(r.index) else {
                    continue;
                };
                let item = batch.items.get(r.index).map(|o| &o.item);
                let edit = matches!(item, Some(OutgoingItem::Edit(_)));
                let create = matches!(item, Some(OutgoingItem::Create(_)));
                match r.status.as_str() {
                    "stored" if create => report.created += 1,
                    "stored" => report.stored += 1,
                    "duplicate" => report.duplicates += 1,
                    "merged" if edit || create => {
                        report.merged += 1;
                        report.reviews += r.reviews.len() as u64;
                    }
                    // A visit the server had from another device (`same_as`).
                    "merged" => report.duplicates += 1,
                    _ => {
                        report.refused += 1;
                        // The server's message names the field, never a NIK value.
                        tracing::warn!(index = r.index, message = ?r.message, "sync item refused");
                        if r.is_final {
                            let msg = r.message.unwrap_or_else(|| "ditolak".into());
                            *slot = PushAnswer::Refused(match r.field {
                                Some(f) => format!("{msg} ({f})"),
                                None => msg,
                            });
                        }
                        continue;
                    }
                }
                *slot = PushAnswer::Accepted;
            }
        }
        let marked = store.mark_pushed(&target.server, &batch, &answers).await?;
        report.applied += marked.applied;
        report.parked.extend(marked.parked);
        if !batch.more {
            break;
        }
    }
    loop {
        let after = store.sync_state(&target.server).await?.pulled_seq;
        let res = client
            .get(format!("{}/api/v1/sync/pull", target.server))
            .bearer_auth(&s.token)
            .query(&[
                ("after", after.to_string()),
                ("limit", PULL_ROWS.to_string()),
            ])
            .send()
            .await
            .map_err(|e| unreachable(target, e))?;
        if !res.status().is_success() {
            return Err(refused(res, "terima").await);
        }
        let page: ChangePage = res
            .json()
            .await
            .map_err(|e| anyhow!("halaman sinkron tidak terbaca: {e}"))?;
        report.pulled += page.changes.len() as u64;
        report.applied += store.apply_page(&target.server, &page).await?;
        if !page.more || page.next_after <= after {
            break;
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::parse_every;
    use std::time::Duration;

    #[test]
    fn every_reads_seconds_minutes_hours() {
        assert_eq!(parse_every("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_every("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_every("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_every("90"), Ok(Duration::from_secs(90)));
        assert!(parse_every("0m").is_err());
        assert!(parse_every("5 menit").is_err());
        assert!(parse_every("").is_err());
    }
}
