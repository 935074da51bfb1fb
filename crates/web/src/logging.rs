//! Request logs that hold no personal data: method, the path without its query string
//! (searches carry names and NIK there), status and latency. Bodies and headers (cookies,
//! passwords) are never logged.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, Response};
use tower_http::classify::{ServerErrorsAsFailures, SharedClassifier};
use tower_http::trace::{MakeSpan, OnResponse, TraceLayer};
use tracing::Span;

/// Span for one request: method and path only.
#[derive(Clone, Copy, Debug, Default)]
pub struct PathOnly;

impl MakeSpan<Body> for PathOnly {
    fn make_span(&mut self, req: &Request<Body>) -> Span {
        tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
    }
}

/// One line per response: status and latency in microseconds.
#[derive(Clone, Copy, Debug, Default)]
pub struct StatusAndLatency;

impl<B> OnResponse<B> for StatusAndLatency {
    fn on_response(self, res: &Response<B>, latency: Duration, _span: &Span) {
        tracing::info!(
            status = res.status().as_u16(),
            us = u64::try_from(latency.as_micros()).unwrap_or(u64::MAX),
            "response"
        );
    }
}

pub type Layer =
    TraceLayer<SharedClassifier<ServerErrorsAsFailures>, PathOnly, (), StatusAndLatency>;

pub fn layer() -> Layer {
    TraceLayer::new_for_http()
        .make_span_with(PathOnly)
        .on_request(())
        .on_response(StatusAndLatency)
}
