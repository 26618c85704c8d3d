use super::{
    ApiError,
    envelope::{service_unavailable, success},
};
use crate::service::Service;
use axum::{Json, extract::State};

/// The process is up.
pub async fn healthz() -> Json<serde_json::Value> {
    success(serde_json::json!({ "status": "ok" }))
}

/// The database answers.
pub async fn readyz(State(service): State<Service>) -> Result<Json<serde_json::Value>, ApiError> {
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
