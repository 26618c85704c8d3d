//! The custom header rows of the webhook form: add, remove, mark secret.

use super::hydration::keep_typed;
use crate::{
    model::{HeaderIn, HeaderOut},
    validate::is_always_masked,
};
use leptos::prelude::*;
use std::collections::BTreeMap;

/// One header row being edited.
#[derive(Clone, Copy)]
pub struct HeaderRow {
    key: u64,
    pub name: RwSignal<String>,
    pub value: RwSignal<String>,
    pub secret: RwSignal<bool>,
    /// Stored masked: an empty value keeps what is stored.
    pub stored_secret: bool,
}

impl HeaderRow {
    fn new(key: u64, name: String, value: String, secret: bool, stored_secret: bool) -> Self {
        Self {
            key,
            name: RwSignal::new(name),
            value: RwSignal::new(value),
            secret: RwSignal::new(secret),
            stored_secret,
        }
    }

    /// Rows for the headers a webhook has now.
    pub fn from_stored(headers: &[HeaderOut]) -> Vec<Self> {
        (0..)
            .zip(headers)
            .map(|(key, header)| {
                Self::new(
                    key,
                    header.name.clone(),
                    header.value.clone().unwrap_or_default(),
                    header.is_masked,
                    header.is_masked,
                )
            })
            .collect()
    }

    /// The header as the API takes it: no value for an untouched secret.
    pub fn to_input(self) -> HeaderIn {
        let value = self.value.get_untracked();
        let keep_stored = self.stored_secret && value.is_empty();
        HeaderIn {
            name: self.name.get_untracked().trim().to_owned(),
            value: (!keep_stored).then_some(value),
            secret: Some(self.secret.get_untracked()),
        }
    }
}

/// The rows, an "Add header" button, and each row's errors from `errors`
/// (`headers[2].name` ...).
#[component]
pub fn HeaderRows(
    rows: RwSignal<Vec<HeaderRow>>,
    errors: RwSignal<BTreeMap<String, String>>,
) -> impl IntoView {
    let next_key = StoredValue::new(1_000_u64);
    let add = move |_| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        rows.update(|rows| {
            rows.push(HeaderRow::new(
                key,
                String::new(),
                String::new(),
                false,
                false,
            ))
        });
    };
    let index_of = move |key: u64| {
        rows.with(|rows| rows.iter().position(|row| row.key == key))
            .unwrap_or(0)
    };
    let error = move |key: u64, part: &'static str| {
        let field = format!("headers[{}].{part}", index_of(key));
        errors.with(|errors| errors.get(&field).cloned())
    };
    view! {
        <fieldset class="header-rows">
            <legend>"Custom headers"</legend>
            <p class="hint">
                "Sent with every delivery. Secret values are stored encrypted and never shown again."
            </p>
            <For each=move || rows.get() key=|row| row.key let:row>
                {
                    let key = row.key;
                    let name_id = format!("header-name-{key}");
                    let value_id = format!("header-value-{key}");
                    let secret_id = format!("header-secret-{key}");
                    let always_masked = move || is_always_masked(&row.name.get());
                    view! {
                        <div class="header-row">
                            <div class="field">
                                <label for=name_id.clone()>"Header name"</label>
                                <input
                                    use:keep_typed
                                    id=name_id
                                    type="text"
                                    autocomplete="off"
                                    spellcheck="false"
                                    value=row.name.get_untracked()
                                    prop:value=row.name
                                    aria-invalid=move || error(key, "name").is_some().to_string()
                                    on:input=move |event| row.name.set(event_target_value(&event))
                                />
                                <p class="field-error">{move || error(key, "name")}</p>
                            </div>
                            <div class="field">
                                <label for=value_id.clone()>"Value"</label>
                                <input
                                    use:keep_typed
                                    id=value_id
                                    type=move || {
                                        if row.secret.get() || always_masked() { "password" } else { "text" }
                                    }
                                    autocomplete="off"
                                    spellcheck="false"
                                    placeholder=if row.stored_secret { "•••••• (unchanged)" } else { "" }
                                    value=row.value.get_untracked()
                                    prop:value=row.value
                                    aria-invalid=move || error(key, "value").is_some().to_string()
                                    on:input=move |event| row.value.set(event_target_value(&event))
                                />
                                <p class="field-error">{move || error(key, "value")}</p>
                            </div>
                            <div class="field check">
                                <input
                                    use:keep_typed
                                    id=secret_id.clone()
                                    type="checkbox"
                                    checked=row.secret.get_untracked() || is_always_masked(&row.name.get_untracked())
                                    prop:checked=move || row.secret.get() || always_masked()
                                    disabled=move || always_masked() || row.stored_secret
                                    on:change=move |event| row.secret.set(event_target_checked(&event))
                                />
                                <label for=secret_id>"Secret"</label>
                            </div>
                            <button
                                type="button"
                                class="button secondary small"
                                aria-label=move || format!("Remove header {}", row.name.get())
                                on:click=move |_| rows.update(|rows| rows.retain(|r| r.key != key))
                            >
                                "Remove"
                            </button>
                        </div>
                    }
                }
            </For>
            <button type="button" class="button secondary small" on:click=add>
                "Add header"
            </button>
        </fieldset>
    }
}
