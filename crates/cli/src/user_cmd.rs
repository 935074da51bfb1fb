//! `posyandu user`: accounts from the command line — the first admin of a new database,
//! a forgotten password, a cadre who left. The password is read without echo from the
//! terminal (twice), or once from standard input with `--password-stdin` (for scripts);
//! it never appears in arguments, the shell history or the audit.

use std::io::{BufRead, IsTerminal};

use anyhow::{Context, bail};
use store::{Actor, NewUser, Role, UserId};

use crate::out::say;
use crate::store_cmds::unit::unit_at;
use crate::store_cmds::{self, DbArgs};

mod list;

#[derive(clap::Subcommand, Debug)]
pub enum UserCommand {
    /// Create an account bound to an org unit (its subtree is what the user may see).
    Add {
        #[command(flatten)]
        db: DbArgs,
        /// Login name (unique), e.g. admin.lumajang or kader.melati.
        #[arg(long)]
        username: String,
        /// Name shown in the app.
        #[arg(long)]
        name: String,
        /// kader, bidan, petugas_puskesmas or admin_dinkes.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// The unit's path, e.g. /35/3508/, or its Kemendagri code, e.g. 35.08 (see
        /// `posyandu unit list`).
        #[arg(long)]
        unit: String,
        /// Read the password from standard input (one line) instead of the terminal.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password (logs the user out everywhere).
    Passwd {
        #[command(flatten)]
        db: DbArgs,
        username: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Deactivate an account: its sessions end at once; the record of its work stays.
    Deactivate {
        #[command(flatten)]
        db: DbArgs,
        username: String,
    },
    /// Let a deactivated account log in again (with its old password).
    Reactivate {
        #[command(flatten)]
        db: DbArgs,
        username: String,
    },
    /// Change an account's role and/or unit: a new scope, so its sessions end at once.
    Set {
        #[command(flatten)]
        db: DbArgs,
        username: String,
        /// kader, bidan, petugas_puskesmas or admin_dinkes (default: unchanged).
        #[arg(long, value_parser = parse_role)]
        role: Option<Role>,
        /// The unit's path or Kemendagri code, as for `add` (default: unchanged).
        #[arg(long)]
        unit: Option<String>,
    },
    /// List the accounts (username, name, role, unit, active), of the whole tree or of one
    /// unit's subtree.
    List {
        #[command(flatten)]
        db: DbArgs,
        /// A unit path (/35/3508/) or a Kemendagri code (35.08.01), as `unit list` takes it.
        #[arg(long)]
        under: Option<String>,
    },
}

fn parse_role(text: &str) -> Result<Role, String> {
    Role::from_code(text.trim()).ok_or_else(|| {
        format!(
            "peran '{text}' tidak dikenal: pilih kader, bidan, petugas_puskesmas atau admin_dinkes"
        )
    })
}

/// The new password: from stdin (one line), or typed twice without echo.
fn read_password(username: &str, from_stdin: bool) -> anyhow::Result<String> {
    let password = if from_stdin || !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("membaca kata sandi dari stdin")?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    } else {
        let first =
            rpassword::prompt_password("Kata sandi baru: ").context("membaca kata sandi")?;
        let second =
            rpassword::prompt_password("Ulangi kata sandi: ").context("membaca kata sandi")?;
        if first != second {
            bail!("kedua kata sandi tidak sama; tidak ada yang diubah");
        }
        first
    };
    store::password::check_rule(username, &password)
        .map_err(|e| anyhow::anyhow!("kata sandi: {e}"))?;
    Ok(password)
}

/// Runs `job` on the existing database of `db` (never creating one), closing it after.
async fn on_store<F, Fut>(db: &DbArgs, job: F) -> anyhow::Result<()>
where
    F: FnOnce(store::Store) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    let store = store_cmds::open_existing(db).await?;
    store.migrate().await?;
    let res = job(store.clone()).await;
    store.close().await;
    res
}

/// The account named `username`, active or not, or an error naming it.
async fn any_user_named(store: &store::Store, username: &str) -> anyhow::Result<store::User> {
    Ok(store
        .credentials(username)
        .await?
        .with_context(|| format!("pengguna '{username}' tidak ada"))?
        .user)
}

/// The active account named `username`, or an error naming it.
async fn user_named(store: &store::Store, username: &str) -> anyhow::Result<store::User> {
    store
        .user_by_username(username)
        .await?
        .with_context(|| format!("pengguna '{username}' tidak ada"))
}

pub fn run(cmd: UserCommand) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let system = Actor::system("user");
        match cmd {
            UserCommand::Add {
                db,
                username,
                name,
                role,
                unit,
                password_stdin,
            } => {
                on_store(&db, |store| async move {
                    let org = unit_at(&store, &system, &unit)
                        .await
                        .with_context(|| format!("--unit '{unit}'"))?;
                    let password = read_password(&username, password_stdin)?;
                    let hash = store::password::hash_async(username.clone(), password)
                        .await
                        .map_err(|e| anyhow::anyhow!("kata sandi: {e}"))?;
                    let new = NewUser {
                        id: UserId::new(),
                        username: username.trim().to_owned(),
                        display_name: name.trim().to_owned(),
                        role,
                        org_unit_id: org.id,
                    };
                    let user = store.add_user(&system, &new, &hash).await?;
                    say!(
                        "Pengguna {} ({}) dibuat untuk {} ({}).",
                        user.username,
                        role.code(),
                        org.name,
                        org.path
                    )?;
                    Ok(())
                })
                .await
            }
            UserCommand::Passwd {
                db,
                username,
                password_stdin,
            } => {
                let password = read_password(&username, password_stdin)?;
                let hash = store::password::hash_async(username.clone(), password)
                    .await
                    .map_err(|e| anyhow::anyhow!("kata sandi: {e}"))?;
                on_store(&db, |store| async move {
                    let user = user_named(&store, &username).await?;
                    let mut tx = store.begin(&system).await?;
                    tx.set_password(user.id, &hash).await?;
                    tx.commit().await?;
                    say!(
                        "Kata sandi {} diganti; semua sesinya berakhir.",
                        user.username
                    )?;
                    Ok(())
                })
                .await
            }
            UserCommand::Deactivate { db, username } => {
                on_store(&db, |store| async move {
                    let user = user_named(&store, &username).await?;
                    store.deactivate_user(&system, user.id).await?;
                    say!(
                        "Pengguna {} dinonaktifkan; semua sesinya berakhir.",
                        user.username
                    )?;
                    Ok(())
                })
                .await
            }
            UserCommand::Reactivate { db, username } => {
                on_store(&db, |store| async move {
                    let user = any_user_named(&store, &username).await?;
                    if user.active {
                        say!(
                            "Pengguna {} sudah aktif; tidak ada yang diubah.",
                            user.username
                        )?;
                        return Ok(());
                    }
                    store.reactivate_user(&system, user.id).await?;
                    say!(
                        "Pengguna {} aktif lagi; ia bisa masuk dengan kata sandinya yang lama.",
                        user.username
                    )?;
                    Ok(())
                })
                .await
            }
            UserCommand::Set {
                db,
                username,
                role,
                unit,
            } => {
                if role.is_none() && unit.is_none() {
                    bail!("berikan --role dan/atau --unit; tidak ada yang diubah");
                }
                on_store(&db, |store| async move {
                    let user = any_user_named(&store, &username).await?;
                    let org = match &unit {
                        Some(text) => Some(
                            unit_at(&store, &system, text)
                                .await
                                .with_context(|| format!("--unit '{text}'"))?,
                        ),
                        None => None,
                    };
                    let role = role.unwrap_or(user.role);
                    let unit_id = org.as_ref().map_or(user.org_unit_id, |o| o.id);
                    let after = store
                        .reassign_user(&system, user.id, user.meta.version, role, unit_id)
                        .await?;
                    if after.meta.version == user.meta.version {
                        say!("Pengguna {}: tidak ada yang berubah.", after.username)?;
                    } else {
                        say!(
                            "Pengguna {} sekarang {} di {}; semua sesinya berakhir.",
                            after.username,
                            after.role.code(),
                            after.org_path
                        )?;
                    }
                    Ok(())
                })
                .await
            }
            UserCommand::List { db, under } => {
                on_store(&db, |store| async move {
                    list::print(&store, &system, under.as_deref()).await
                })
                .await
            }
        }
    })
}
