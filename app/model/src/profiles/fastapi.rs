//! FastAPI's error forms, which the Interactly API answers in (SPEC §7.1).

use super::fields::{FieldIssue, LocPart};
use serde::Serialize;

/// Bad input (422), as FastAPI words it: `{"detail": [{loc, msg, type}]}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InteractlyValidationError {
    pub detail: Vec<InteractlyIssue>,
}

/// One problem: where (`["body", "timeout_seconds"]`), what, and its kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InteractlyIssue {
    pub loc: Vec<LocPart>,
    pub msg: String,
    #[serde(rename = "type")]
    pub kind: String,
}

/// Any other refusal (401, 403, 404, 413): `{"detail": "<message>"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InteractlyMessage {
    pub detail: String,
}

impl InteractlyIssue {
    /// An issue of the request part `part` (`body`, `path`).
    pub fn of(part: &str, issue: FieldIssue) -> Self {
        let mut loc = vec![LocPart::Field(part.to_owned())];
        loc.extend(issue.loc);
        Self {
            loc,
            msg: issue.message,
            kind: issue.kind.to_owned(),
        }
    }
}
