//! Between the Interactly wire types and the main API's: the field
//! mapping of SPEC §7.1, nothing else.

use herald_model::{
    validate::{bearer_header, is_authorization},
    {
        EventRef, HeaderIn, HeaderOut, WebhookIn, WebhookOut, WebhookPatch,
        profiles::interactly::{
            InteractlyWebhook, InteractlyWebhookCreate, InteractlyWebhookUpdate,
        },
    },
};
use herald_service::ProfileWebhook;

pub(super) fn webhook_in(input: InteractlyWebhookCreate) -> WebhookIn {
    WebhookIn {
        name: Some(input.name),
        headers: bearer_headers(&[], input.bearer_token.as_deref()),
        is_active: input.enabled,
        max_retries: input.max_retries,
        timeout_ms: input.timeout_seconds.map(|seconds| seconds * 1000),
        retry_backoff_seconds: input.retry_backoff_seconds,
        ..WebhookIn::new(input.url, labels(input.actions))
    }
}

pub(super) fn webhook_patch(input: InteractlyWebhookUpdate, current: &WebhookOut) -> WebhookPatch {
    let headers = (input.bearer_token.is_some() || input.clear_bearer_token)
        .then(|| bearer_headers(&current.headers, input.bearer_token.as_deref()));
    WebhookPatch {
        url: input.url,
        events: input.actions.map(labels),
        name: input.name.map(Some),
        headers,
        is_active: input.enabled,
        max_retries: input.max_retries,
        timeout_ms: input.timeout_seconds.map(|seconds| seconds * 1000),
        retry_backoff_seconds: input.retry_backoff_seconds,
        ..WebhookPatch::default()
    }
}

/// The header list with `Authorization: Bearer <token>` in place of any
/// `Authorization` (none without a token). Masked headers are named
/// without a value, so they keep the values stored.
fn bearer_headers(current: &[HeaderOut], token: Option<&str>) -> Vec<HeaderIn> {
    let others = current
        .iter()
        .filter(|header| !is_authorization(&header.name))
        .map(|header| HeaderIn {
            name: header.name.clone(),
            value: header.value.clone(),
            secret: Some(header.is_masked),
        });
    others.chain(token.map(bearer_header)).collect()
}

fn labels(actions: Vec<String>) -> Vec<EventRef> {
    actions.into_iter().map(EventRef::Label).collect()
}

pub(super) fn interactly_webhook(view: ProfileWebhook) -> InteractlyWebhook {
    let webhook = view.webhook;
    InteractlyWebhook {
        id: view.interactly_id,
        name: webhook.name.unwrap_or_default(),
        url: webhook.url,
        actions: webhook.events,
        enabled: webhook.is_active,
        has_bearer_token: view.has_bearer_token,
        timeout_seconds: webhook.timeout_ms / 1000,
        max_retries: webhook.max_retries,
        retry_backoff_seconds: webhook.retry_backoff_seconds,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(name: &str, masked: bool) -> HeaderOut {
        HeaderOut {
            name: name.to_owned(),
            is_masked: masked,
            value: (!masked).then(|| "v".to_owned()),
        }
    }

    #[test]
    fn a_bearer_token_replaces_only_the_authorization_header() {
        let current = [
            header("X-Env", false),
            header("authorization", true),
            header("X-Secret", true),
        ];
        let headers = bearer_headers(&current, Some("t0k"));
        let names: Vec<_> = headers.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(names, ["X-Env", "X-Secret", "Authorization"]);
        assert_eq!(headers[0].value.as_deref(), Some("v"));
        assert_eq!(
            headers[1].value, None,
            "a masked header keeps its stored value"
        );
        assert_eq!(headers[2].value.as_deref(), Some("Bearer t0k"));
        let cleared = bearer_headers(&current, None);
        let names: Vec<_> = cleared.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(names, ["X-Env", "X-Secret"]);
    }
}
