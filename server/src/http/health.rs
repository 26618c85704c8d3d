use super::{
    ApiError,
    envelope::{Envelope, ErrorEnvelope, service_unavailable, success},
};
use axum::{Json, extract::State};
use herald_service::Service;

#[utoipa::path(get, path = "/healthz", tag = "operations", security(()), responses((status = 200, description = "The process is up")))]
/// The process is up.
pub async fn healthz() -> Json<Envelope<serde_json::Value>> {
    success(serde_json::json!({ "status": "ok" }))
}

#[utoipa::path(get, path = "/readyz", tag = "operations", security(()), responses((status = 200, description = "The database answers"), (status = 503, body = ErrorEnvelope)))]
/// The database answers.
pub async fn readyz(
    State(service): State<Service>,
) -> Result<Json<Envelope<serde_json::Value>>, ApiError> {
    match service.check_ready().await {
        Ok(()) => Ok(success(
            serde_json::json!({ "status": "ok", "database": "ok" }),
        )),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            Err(service_unavailable("Database unreachable"))
        }
    }
}

/// Prometheus text: attempts and deliveries by outcome, attempt latency,
/// queue depth, open circuits. Public, like the health checks.
pub async fn metrics(
    State(service): State<Service>,
) -> Result<impl axum::response::IntoResponse, ApiError> {
    let text = service.metrics_text().await?;
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    ))
}
