//! The Interactly workflow-webhook API (SPEC §7.1): its request and answer
//! types, with the document's fields and ranges.

use super::fields::{FieldIssue, FieldReader, json_object};
use serde::{Deserialize, Serialize};

const NAME_CHARS: (usize, usize) = (1, 150);
const URL_CHARS: (usize, usize) = (1, 2048);
const TOKEN_CHARS: (usize, usize) = (1, 2000);
const TIMEOUT_SECONDS: (u32, u32) = (1, 60);
const MAX_RETRIES: (u32, u32) = (0, 10);
const BACKOFF_SECONDS: (u32, u32) = (1, 300);

/// A workflow webhook as the Interactly API returns it: no envelope, exactly these fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InteractlyWebhook {
    /// 24 lowercase hex characters.
    #[cfg_attr(feature = "openapi", schema(pattern = "^[0-9a-f]{24}$"))]
    pub id: String,
    pub name: String,
    pub url: String,
    pub actions: Vec<String>,
    pub enabled: bool,
    pub has_bearer_token: bool,
    pub timeout_seconds: u32,
    pub max_retries: u32,
    pub retry_backoff_seconds: u32,
}

/// `POST /workflows/v1/workflow-webhooks`.
// Read with `from_json`, which names every problem; the derives describe
// the body in OpenAPI (`deny_unknown_fields`: no other fields).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InteractlyWebhookCreate {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 150))]
    pub name: String,
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 2048,
            example = "https://example.com/hooks/workflows"
        )
    )]
    pub url: String,
    /// Event types of the catalog, by label (`workflow_created`, ...).
    pub actions: Vec<String>,
    pub enabled: Option<bool>,
    /// Sent as `Authorization: Bearer <token>`; never returned.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
    pub bearer_token: Option<String>,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 60))]
    pub timeout_seconds: Option<u32>,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10))]
    pub max_retries: Option<u32>,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 300))]
    pub retry_backoff_seconds: Option<u32>,
}

/// `PATCH /workflows/v1/workflow-webhooks/{webhook_id}`: an absent or `null` field stays.
// Read with `from_json`, which names every problem; the derives describe
// the body in OpenAPI (`deny_unknown_fields`: no other fields).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct InteractlyWebhookUpdate {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 150))]
    pub name: Option<String>,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2048))]
    pub url: Option<String>,
    pub actions: Option<Vec<String>>,
    pub enabled: Option<bool>,
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
    pub bearer_token: Option<String>,
    /// Removes the bearer token (not together with a new `bearer_token`).
    #[serde(default)]
    pub clear_bearer_token: bool,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 60))]
    pub timeout_seconds: Option<u32>,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10))]
    pub max_retries: Option<u32>,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 300))]
    pub retry_backoff_seconds: Option<u32>,
}

/// The settings both requests share, read with the document's ranges.
struct Settings {
    name: Option<String>,
    url: Option<String>,
    actions: Option<Vec<String>>,
    enabled: Option<bool>,
    bearer_token: Option<String>,
    timeout_seconds: Option<u32>,
    max_retries: Option<u32>,
    retry_backoff_seconds: Option<u32>,
}

fn read_settings(reader: &mut FieldReader) -> Settings {
    Settings {
        name: reader.text("name", NAME_CHARS.0, NAME_CHARS.1),
        url: reader.text("url", URL_CHARS.0, URL_CHARS.1),
        actions: reader.texts("actions"),
        enabled: reader.boolean("enabled"),
        bearer_token: reader.text("bearer_token", TOKEN_CHARS.0, TOKEN_CHARS.1),
        timeout_seconds: reader.integer("timeout_seconds", TIMEOUT_SECONDS.0, TIMEOUT_SECONDS.1),
        max_retries: reader.integer("max_retries", MAX_RETRIES.0, MAX_RETRIES.1),
        retry_backoff_seconds: reader.integer(
            "retry_backoff_seconds",
            BACKOFF_SECONDS.0,
            BACKOFF_SECONDS.1,
        ),
    }
}

impl InteractlyWebhookCreate {
    /// Reads a create body; every problem comes back, each with its field.
    pub fn from_json(bytes: &[u8]) -> Result<Self, Vec<FieldIssue>> {
        let object = json_object(bytes).map_err(|issue| vec![issue])?;
        let mut reader = FieldReader::new(&object);
        reader.require("name", "string_type", "Input should be a valid string");
        reader.require("url", "string_type", "Input should be a valid string");
        reader.require("actions", "list_type", "Input should be a valid list");
        let settings = read_settings(&mut reader);
        reader.finish()?;
        Ok(Self {
            name: settings.name.unwrap_or_default(),
            url: settings.url.unwrap_or_default(),
            actions: settings.actions.unwrap_or_default(),
            enabled: settings.enabled,
            bearer_token: settings.bearer_token,
            timeout_seconds: settings.timeout_seconds,
            max_retries: settings.max_retries,
            retry_backoff_seconds: settings.retry_backoff_seconds,
        })
    }
}

impl InteractlyWebhookUpdate {
    /// Reads an update body; every problem comes back, each with its field.
    pub fn from_json(bytes: &[u8]) -> Result<Self, Vec<FieldIssue>> {
        let object = json_object(bytes).map_err(|issue| vec![issue])?;
        let mut reader = FieldReader::new(&object);
        let settings = read_settings(&mut reader);
        let clear_bearer_token = reader.boolean("clear_bearer_token").unwrap_or(false);
        if clear_bearer_token && settings.bearer_token.is_some() {
            reader.push(
                "clear_bearer_token",
                "value_error",
                "Value error, clear_bearer_token cannot be true together with a bearer_token",
            );
        }
        reader.finish()?;
        Ok(Self {
            name: settings.name,
            url: settings.url,
            actions: settings.actions,
            enabled: settings.enabled,
            bearer_token: settings.bearer_token,
            clear_bearer_token,
            timeout_seconds: settings.timeout_seconds,
            max_retries: settings.max_retries,
            retry_backoff_seconds: settings.retry_backoff_seconds,
        })
    }
}

/// The path's `webhook_id`: 24 lowercase hex characters, or the problem with it.
pub fn parse_webhook_id(raw: &str) -> Result<&str, FieldIssue> {
    if raw.len() == 24
        && raw
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Ok(raw);
    }
    Err(FieldIssue::new(
        "webhook_id",
        "string_pattern_mismatch",
        "String should match pattern '^[0-9a-f]{24}$'",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn kinds(body: Value) -> Vec<(String, &'static str)> {
        let bytes = serde_json::to_vec(&body).unwrap();
        InteractlyWebhookUpdate::from_json(&bytes)
            .unwrap_err()
            .into_iter()
            .map(|issue| (issue.path(), issue.kind))
            .collect()
    }

    #[test]
    fn the_documents_ranges_hold_at_each_edge() {
        let ok = |body: Value| {
            InteractlyWebhookUpdate::from_json(&serde_json::to_vec(&body).unwrap()).is_ok()
        };
        for (field, low, high) in [
            ("timeout_seconds", 1, 60),
            ("max_retries", 0, 10),
            ("retry_backoff_seconds", 1, 300),
        ] {
            assert!(
                ok(json!({ field: low })) && ok(json!({ field: high })),
                "{field}"
            );
            if low > 0 {
                assert_eq!(kinds(json!({ field: low - 1 }))[0].1, "greater_than_equal");
            }
            assert_eq!(kinds(json!({ field: high + 1 }))[0].1, "less_than_equal");
        }
        assert!(ok(json!({"name": "n".repeat(150)})));
        assert_eq!(
            kinds(json!({"name": "n".repeat(151)})),
            [("name".to_owned(), "string_too_long")]
        );
        assert_eq!(
            kinds(json!({"name": ""})),
            [("name".to_owned(), "string_too_short")]
        );
        assert!(ok(json!({"bearer_token": "t".repeat(2000)})));
        assert_eq!(
            kinds(json!({"bearer_token": "t".repeat(2001)})),
            [("bearer_token".to_owned(), "string_too_long")]
        );
    }

    #[test]
    fn null_leaves_a_field_unchanged_and_a_create_needs_name_url_and_actions() {
        let update = InteractlyWebhookUpdate::from_json(
            br#"{"name": null, "url": null, "actions": null, "enabled": null, "timeout_seconds": null}"#,
        )
        .unwrap();
        assert_eq!(update, InteractlyWebhookUpdate::default());
        let issues: Vec<_> = InteractlyWebhookCreate::from_json(br#"{"actions": null}"#)
            .unwrap_err()
            .into_iter()
            .map(|issue| (issue.path(), issue.kind))
            .collect();
        assert_eq!(
            issues,
            [
                ("name".to_owned(), "missing"),
                ("url".to_owned(), "missing"),
                ("actions".to_owned(), "list_type"),
            ]
        );
    }

    #[test]
    fn a_token_and_its_clearing_do_not_go_together() {
        assert_eq!(
            kinds(json!({"bearer_token": "t", "clear_bearer_token": true})),
            [("clear_bearer_token".to_owned(), "value_error")]
        );
        assert_eq!(
            kinds(json!({"colour": "red", "enabled": "yes"})),
            [
                ("enabled".to_owned(), "bool_type"),
                ("colour".to_owned(), "extra_forbidden")
            ]
        );
    }

    #[test]
    fn webhook_ids_are_24_lowercase_hex_characters() {
        assert!(parse_webhook_id("5eb7cf5a86d9755df3a6c593").is_ok());
        for bad in [
            "5EB7CF5A86D9755DF3A6C593",
            "5eb7cf5a86d9755df3a6c59",
            "webhook_id",
            "",
        ] {
            assert_eq!(
                parse_webhook_id(bad).unwrap_err().kind,
                "string_pattern_mismatch"
            );
        }
    }
}
