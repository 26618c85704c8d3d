use super::FieldError;
use crate::{ALL_EVENTS, EventRef, EventType};
use serde_json::{Value, json};

/// What a webhook subscribes to: every type (`"*"`), or these catalog ids.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventSelection {
    All,
    Types(Vec<i64>),
}

impl EventSelection {
    /// Resolves labels and ids against the catalog. Empty lists, unknown and
    /// retired types are refused with `provided` (the bad ones) and `allowed`.
    pub fn parse(refs: &[EventRef], catalog: &[EventType]) -> Result<Self, FieldError> {
        if refs.is_empty() {
            return Err(FieldError::new(
                "events",
                "events must name at least one event type",
            ));
        }
        let open = |matches: &dyn Fn(&EventType) -> bool| {
            catalog
                .iter()
                .find(|t| !t.retired && matches(t))
                .map(|t| t.id)
        };
        let mut all = false;
        let mut ids = Vec::new();
        let mut invalid: Vec<Value> = Vec::new();
        for event in refs {
            match event {
                EventRef::Label(label) if label == ALL_EVENTS => all = true,
                EventRef::Label(label) => match open(&|t| t.label == *label) {
                    Some(id) => ids.push(id),
                    None => invalid.push(json!(label)),
                },
                EventRef::Id(id) => match open(&|t| t.id == *id) {
                    Some(id) => ids.push(id),
                    None => invalid.push(json!(id)),
                },
            }
        }
        if !invalid.is_empty() {
            let allowed: Vec<i64> = catalog
                .iter()
                .filter(|t| !t.retired)
                .map(|t| t.id)
                .collect();
            let mut error = FieldError::new("events", "Invalid event type");
            let mut details = serde_json::Map::new();
            details.insert("provided".into(), Value::Array(invalid));
            details.insert("allowed".into(), json!(allowed));
            error.details = Some(details);
            return Err(error);
        }
        if all {
            return Ok(EventSelection::All);
        }
        // The order given is kept (the seeds echo it back); repeats are dropped.
        let mut unique = Vec::with_capacity(ids.len());
        for id in ids {
            if !unique.contains(&id) {
                unique.push(id);
            }
        }
        Ok(EventSelection::Types(unique))
    }

    /// The labels the API returns: `["*"]`, or each subscribed type's label.
    pub fn labels(&self, catalog: &[EventType]) -> Vec<String> {
        match self {
            EventSelection::All => vec![ALL_EVENTS.to_owned()],
            EventSelection::Types(ids) => ids
                .iter()
                .filter_map(|id| catalog.iter().find(|t| t.id == *id))
                .map(|t| t.label.clone())
                .collect(),
        }
    }

    /// Whether an event of this type goes to the webhook.
    pub fn includes(&self, type_id: i64) -> bool {
        match self {
            EventSelection::All => true,
            EventSelection::Types(ids) => ids.contains(&type_id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Vec<EventType> {
        [
            "analysis.completed",
            "analysis.failed",
            "ping",
            "interview.completed",
        ]
        .iter()
        .enumerate()
        .map(|(id, label)| EventType {
            id: id as i64,
            label: (*label).to_owned(),
            description: String::new(),
            retired: *label == "analysis.failed",
            example_payload: None,
        })
        .collect()
    }

    #[test]
    fn labels_and_ids_mix_and_come_back_as_labels_in_the_order_given() {
        let refs = [
            EventRef::Id(3),
            EventRef::Label("ping".into()),
            EventRef::Id(3),
        ];
        let selection = EventSelection::parse(&refs, &catalog()).unwrap();
        assert_eq!(selection, EventSelection::Types(vec![3, 2]));
        assert_eq!(
            selection.labels(&catalog()),
            ["interview.completed", "ping"]
        );
        assert!(selection.includes(2) && !selection.includes(0));
    }

    #[test]
    fn a_star_subscribes_to_everything() {
        let refs = [EventRef::Label("*".into()), EventRef::Id(0)];
        let selection = EventSelection::parse(&refs, &catalog()).unwrap();
        assert_eq!(selection, EventSelection::All);
        assert_eq!(selection.labels(&catalog()), ["*"]);
        assert!(selection.includes(99));
    }

    #[test]
    fn unknown_and_retired_types_are_refused_with_provided_and_allowed() {
        let refs = [
            EventRef::Id(99),
            EventRef::Label("analysis.failed".into()),
            EventRef::Id(0),
        ];
        let error = EventSelection::parse(&refs, &catalog()).unwrap_err();
        assert_eq!(
            (error.field.as_str(), error.message.as_str()),
            ("events", "Invalid event type")
        );
        let details = error.details.unwrap();
        assert_eq!(details["provided"], json!([99, "analysis.failed"]));
        assert_eq!(details["allowed"], json!([0, 2, 3]));
    }

    #[test]
    fn an_empty_list_is_refused() {
        assert_eq!(
            EventSelection::parse(&[], &catalog()).unwrap_err().field,
            "events"
        );
    }
}
