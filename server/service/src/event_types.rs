//! The event-type catalog: six seeded types; an admin adds and retires others.

use super::{Principal, Service, ServiceError, ServiceResult};
use herald_model::{
    ALL_EVENTS, EventType, EventTypeIn, Scope,
    validate::{FieldError, MAX_DESCRIPTION_CHARS},
};
use herald_store::{self, StoreError, event_types};

const MAX_LABEL_LEN: usize = 100;

const NOT_FOUND: &str = "Event type not found";

impl Service {
    /// Every event type, retired ones included (they still label old
    /// subscriptions). Read from memory for up to a second: nearly every
    /// request needs the catalog, which changes rarely (this process's
    /// changes show at once, another process's within the second).
    pub async fn event_types(&self) -> ServiceResult<Vec<EventType>> {
        self.read_caches
            .catalog
            .get_or_read((), self.read_event_types())
            .await
    }

    async fn read_event_types(&self) -> ServiceResult<Vec<EventType>> {
        let rows = event_types::list_all(&self.db).await?;
        Ok(rows
            .into_iter()
            .map(|row| EventType {
                id: row.id,
                label: row.label,
                description: row.description,
                retired: row.retired_at.is_some(),
                example_payload: row
                    .example_payload
                    .and_then(|payload| serde_json::from_str(&payload).ok()),
            })
            .collect())
    }

    /// Adds a type to the catalog under the next free id (admin).
    #[tracing::instrument(skip_all)]
    pub async fn add_event_type(
        &self,
        caller: &Principal,
        input: EventTypeIn,
    ) -> ServiceResult<EventType> {
        caller.require(Scope::Admin)?;
        validate_label(&input.label)?;
        if input.description.chars().count() > MAX_DESCRIPTION_CHARS {
            let message = format!("description must be at most {MAX_DESCRIPTION_CHARS} characters");
            return Err(FieldError::new("description", message).into());
        }
        let example = input.example_payload.as_ref().map(ToString::to_string);
        let now = self.clock.now_ms();
        let inserted = event_types::insert_next(
            &self.db,
            &input.label,
            &input.description,
            example.as_deref(),
            now,
        )
        .await;
        let id = match inserted {
            Err(StoreError::UniqueViolation) => {
                return Err(ServiceError::Conflict(format!(
                    "Event type {} already exists",
                    input.label
                )));
            }
            other => other?,
        };
        Ok(EventType {
            id,
            label: input.label,
            description: input.description,
            retired: false,
            example_payload: input.example_payload,
        })
    }

    /// Retires a type: existing subscriptions stay, new ones are refused (admin).
    #[tracing::instrument(skip(self, caller))]
    pub async fn retire_event_type(&self, caller: &Principal, id: &str) -> ServiceResult<()> {
        caller.require(Scope::Admin)?;
        let not_found = || ServiceError::NotFound(NOT_FOUND.to_owned());
        let id: i64 = id.parse().map_err(|_| not_found())?;
        if event_types::retire(&self.db, id, self.clock.now_ms()).await? {
            return Ok(());
        }
        let exists = self.read_event_types().await?.iter().any(|t| t.id == id);
        if exists { Ok(()) } else { Err(not_found()) }
    }
}

/// Lowercase letters, digits, `.`, `_` and `-`, as the seeded labels are.
fn validate_label(label: &str) -> ServiceResult<()> {
    let well_formed = !label.is_empty()
        && label.len() <= MAX_LABEL_LEN
        && label != ALL_EVENTS
        && label
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if well_formed {
        return Ok(());
    }
    let message =
        format!("label must be 1 to {MAX_LABEL_LEN} characters of a-z, 0-9, '.', '_' and '-'");
    Err(FieldError::new("label", message).into())
}
