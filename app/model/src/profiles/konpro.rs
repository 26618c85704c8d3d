//! The Konpro webhook-endpoint API (SPEC §7.2): its request and answer types.

use super::fields::{FieldIssue, FieldReader, json_object};
use crate::ErrorCode;
use serde::{Deserialize, Serialize};

const URL_CHARS: (usize, usize) = (1, 2048);
const ENDPOINT_ID_CHARS: (usize, usize) = (1, 255);

/// An endpoint as the Konpro API returns it: no envelope, exactly these fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KonproEndpoint {
    /// The webhook's id, the same as in the main API.
    pub endpoint_id: String,
    pub url: String,
    /// The signing secret in Standard Webhooks form (`whsec_...`).
    pub secret: String,
    pub status: KonproStatus,
    /// Subscribed event types by label; `[]` when subscribed to all.
    pub events: Vec<String>,
    /// The name of the calling key's account.
    pub username: String,
    /// ISO 8601.
    pub created_at: String,
}

/// An endpoint's state: the main API's `isActive`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum KonproStatus {
    Enabled,
    Disabled,
}

/// `POST /v1/webhook/endpoint.add`: `events` absent, `null` or `[]` subscribes to all.
// Read with `from_json`, which names every problem; the derives describe
// the body in OpenAPI (`deny_unknown_fields`: no other fields).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct KonproEndpointAdd {
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 2048,
            example = "https://example.com/webhook"
        )
    )]
    pub url: String,
    pub events: Option<Vec<String>>,
}

/// `PATCH /v1/webhook/endpoint.update`: only the fields given change; `events: []` is all.
// Read with `from_json`, which names every problem; the derives describe
// the body in OpenAPI (`deny_unknown_fields`: no other fields).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct KonproEndpointUpdate {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 255))]
    pub endpoint_id: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2048))]
    pub url: Option<String>,
    pub events: Option<Vec<String>>,
}

/// Every failure: `{"error": {"code", "message"}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KonproError {
    pub error: KonproErrorBody,
}

/// A code of Herald's error envelope (SPEC §3) and a readable message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KonproErrorBody {
    pub code: ErrorCode,
    pub message: String,
}

impl KonproEndpointAdd {
    /// Reads an add body; the first problem names its field.
    pub fn from_json(bytes: &[u8]) -> Result<Self, FieldIssue> {
        let object = json_object(bytes)?;
        let mut reader = FieldReader::new(&object);
        reader.require("url", "string_type", "Input should be a valid string");
        let url = reader.text("url", URL_CHARS.0, URL_CHARS.1);
        let events = reader.texts("events");
        reader.finish().map_err(first)?;
        Ok(Self {
            url: url.unwrap_or_default(),
            events,
        })
    }
}

impl KonproEndpointUpdate {
    /// Reads an update body; the first problem names its field.
    pub fn from_json(bytes: &[u8]) -> Result<Self, FieldIssue> {
        let object = json_object(bytes)?;
        let mut reader = FieldReader::new(&object);
        reader.require(
            "endpoint_id",
            "string_type",
            "Input should be a valid string",
        );
        let endpoint_id = reader.text("endpoint_id", ENDPOINT_ID_CHARS.0, ENDPOINT_ID_CHARS.1);
        let url = reader.text("url", URL_CHARS.0, URL_CHARS.1);
        let events = reader.texts("events");
        reader.finish().map_err(first)?;
        Ok(Self {
            endpoint_id: endpoint_id.unwrap_or_default(),
            url,
            events,
        })
    }
}

fn first(mut issues: Vec<FieldIssue>) -> FieldIssue {
    issues.swap_remove(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documents_update_reads_and_a_missing_endpoint_id_is_named() {
        let update = KonproEndpointUpdate::from_json(
            br#"{"endpoint_id": "endpoint123", "url": "https://example.com/new-webhook-url", "events": ["video.updated", "avatar.deleted"]}"#,
        )
        .unwrap();
        assert_eq!(update.endpoint_id, "endpoint123");
        assert_eq!(update.events.unwrap(), ["video.updated", "avatar.deleted"]);
        let issue = KonproEndpointUpdate::from_json(br#"{"url": "https://a.io"}"#).unwrap_err();
        assert_eq!(
            (issue.path(), issue.kind),
            ("endpoint_id".to_owned(), "missing")
        );
        let issue = KonproEndpointUpdate::from_json(br#"{"endpoint_id": 7}"#).unwrap_err();
        assert_eq!(issue.kind, "string_type");
    }

    #[test]
    fn events_may_be_absent_null_or_a_list_of_strings() {
        let add = KonproEndpointAdd::from_json(br#"{"url": "https://a.io", "events": null}"#);
        assert_eq!(add.unwrap().events, None);
        let issue =
            KonproEndpointAdd::from_json(br#"{"url": "https://a.io", "events": [1]}"#).unwrap_err();
        assert_eq!(issue.path(), "events[0]");
        let issue = KonproEndpointAdd::from_json(br#"{"url": "https://a.io", "events": "all"}"#)
            .unwrap_err();
        assert_eq!(issue.kind, "list_type");
    }
}
