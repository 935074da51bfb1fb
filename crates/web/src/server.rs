//! Running the app: bind, serve, and shut down gracefully on SIGINT or SIGTERM (requests
//! in flight are finished, new connections refused), so a restart never cuts a save.

use std::future::Future;
use std::net::SocketAddr;

use tokio::net::TcpListener;

use crate::{AppState, router};

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("tidak bisa membuka alamat {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error("server berhenti karena galat: {0}")]
    Io(#[from] std::io::Error),
}

/// Binds `addr` (e.g. `127.0.0.1:8080`; port 0 picks a free one).
pub async fn bind(addr: &str) -> Result<TcpListener, ServeError> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Bind {
            addr: addr.to_owned(),
            source,
        })
}

/// Serves `state` on `listener` until `shutdown` completes, then waits for requests in
/// flight to finish.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    // The shared weight-for-length tables of the live classification, built off the
    // request path before the first balita's page needs them.
    tokio::task::spawn_blocking(domain::cutpoints::prepare);
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}

/// Completes on the first SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutdown: finishing requests in flight");
}
