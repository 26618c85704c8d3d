//! Standard Webhooks signatures: `v1,<base64 HMAC-SHA256(secret, "id.timestamp.body")>`.

use base64::{Engine, engine::general_purpose::STANDARD};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The `webhook-signature` value: one `v1,` signature per live secret,
/// space-separated (two during the day after a rotation).
pub fn signature_header(
    secrets: &[[u8; 32]],
    message_id: &str,
    timestamp: i64,
    body: &[u8],
) -> String {
    secrets
        .iter()
        .map(|secret| format!("v1,{}", sign(secret, message_id, timestamp, body)))
        .collect::<Vec<_>>()
        .join(" ")
}

fn sign(secret: &[u8; 32], message_id: &str, timestamp: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes a key of any length");
    mac.update(message_id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    STANDARD.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use standardwebhooks::Webhook;

    fn verifies(secret: &[u8; 32], header: &str, timestamp: i64, body: &[u8]) -> bool {
        let mut headers = http::HeaderMap::new();
        headers.insert("webhook-id", "evt_1".parse().unwrap());
        headers.insert("webhook-timestamp", timestamp.to_string().parse().unwrap());
        headers.insert("webhook-signature", header.parse().unwrap());
        let verifier = Webhook::new(&format!("whsec_{}", STANDARD.encode(secret))).unwrap();
        verifier.verify(body, &headers).is_ok()
    }

    #[test]
    fn the_reference_implementation_verifies_each_live_secret() {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let body = br#"{"id":"evt_1","data":{"a":1}}"#;
        let header = signature_header(&[[1; 32], [2; 32]], "evt_1", now, body);
        assert_eq!(header.split(' ').count(), 2);
        assert!(header.split(' ').all(|part| part.starts_with("v1,")));
        assert!(verifies(&[1; 32], &header, now, body));
        assert!(verifies(&[2; 32], &header, now, body));
        assert!(!verifies(&[3; 32], &header, now, body));
        assert!(!verifies(
            &[1; 32],
            &header,
            now,
            br#"{"id":"evt_1","data":{"a":2}}"#
        ));
    }
}
