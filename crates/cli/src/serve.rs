//! `posyandu serve`: the web app on the embedded SQLite file (created and migrated at
//! start) or on PostgreSQL. `--demo` loads the demo region the first time, so a newcomer
//! has a village to look at within a minute of the first build.

use anyhow::Context;
use store::{Actor, OrgPath, Store};

use crate::out::say;
use crate::store_cmds::{self, DbArgs, demo};

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "POSYANDU_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Load the demo region (Kabupaten Lumajang) if the database does not hold it yet.
    #[arg(long)]
    pub demo: bool,
    /// Mark cookies Secure: set this when users reach the server over HTTPS (a TLS proxy).
    #[arg(long, env = "POSYANDU_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Keep this database in step with a district server in the background (as `posyandu
    /// sync`), every `--sync-every`; needs `--sync-user` and `--sync-password-file`.
    #[arg(long, requires_all = ["sync_user", "sync_password_file"])]
    pub sync_server: Option<String>,
    /// The server account the background sync logs in as.
    #[arg(long)]
    pub sync_user: Option<String>,
    /// A file holding that account's password.
    #[arg(long)]
    pub sync_password_file: Option<std::path::PathBuf>,
    /// How often: `30s`, `5m`, `1h`.
    #[arg(long, default_value = "5m", value_parser = crate::sync_cmd::parse_every)]
    pub sync_every: std::time::Duration,
}

pub fn run(args: &ServeArgs) -> anyhow::Result<()> {
    init_logging();
    // Read before anything starts: a missing password file is a usage error, not a
    // failure every five minutes.
    let sync = match (&args.sync_server, &args.sync_user, &args.sync_password_file) {
        (Some(server), Some(user), Some(file)) => {
            Some(crate::sync_cmd::Target::new(server, user, file)?)
        }
        _ => None,
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let store = store_cmds::open_migrated(&args.db).await?;
        if args.demo && !has_demo(&store).await? {
            say!("Memuat wilayah demo (sekali saja, ±10 detik)…")?;
            demo::run(&store, &demo::DemoArgs::default()).await?;
        }
        let listener = web::server::bind(&args.addr).await?;
        let addr = listener.local_addr().context("alamat server")?;
        say!("Posyandu berjalan di http://{addr}/  (Ctrl-C untuk berhenti)")?;
        if let Some(target) = sync {
            say!(
                "Sinkron dengan {} tiap {} detik, sebagai {}",
                target.server,
                args.sync_every.as_secs(),
                target.user
            )?;
            crate::sync_cmd::schedule(store.clone(), target, args.sync_every);
        }
        let state = web::AppState {
            store: store.clone(),
            secure_cookies: args.secure_cookies,
        };
        let res = web::server::serve(listener, state, web::server::shutdown_signal()).await;
        store.close().await;
        res?;
        say!("Server berhenti.")?;
        Ok(())
    })
}

/// Whether the demo kabupaten is already in the database.
async fn has_demo(store: &Store) -> anyhow::Result<bool> {
    use ::demo::region::{KABUPATEN, PROVINSI, digits};
    let path = OrgPath::parse(&format!("/{}/{}/", digits(PROVINSI.0), digits(KABUPATEN.0)))
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(store
        .org_unit_by_path(&Actor::system("serve"), &path)
        .await?
        .is_some())
}

/// Logs to stderr, `info` unless `RUST_LOG` says otherwise. The request logs hold no
/// personal data (see `web::logging`).
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}
