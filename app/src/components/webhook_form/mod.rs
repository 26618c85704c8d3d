//! The webhook form, for creating and for editing. Each field is checked
//! by the shared validation as the user leaves it (no round trip) and the
//! whole form again on submit; server errors land on their field.

mod draft;

use super::{
    header_rows::HeaderRows,
    hydration::{keep_typed, use_hydrated},
};
use crate::{
    api::ConsoleError,
    model::{CompanyOut, EventType, WebhookOut},
    validate::{FieldError, WebhookUrl, validate_description, validate_name},
};
use draft::Fields;
pub use draft::WebhookDraft;
use leptos::{ev::SubmitEvent, prelude::*};
use std::collections::BTreeMap;

/// The form. `server_error` is the last answer of the server call; its
/// field, if any, is marked.
#[component]
pub fn WebhookForm(
    initial: Option<WebhookOut>,
    event_types: Vec<EventType>,
    companies: Vec<CompanyOut>,
    submit_label: &'static str,
    #[prop(into)] pending: Signal<bool>,
    #[prop(into)] server_error: Signal<Option<ConsoleError>>,
    on_submit: Callback<WebhookDraft>,
    #[prop(optional)] on_cancel: Option<Callback<()>>,
    /// The portal's webhooks are its company's: no company to choose.
    #[prop(optional)]
    company_fixed: bool,
) -> impl IntoView {
    let fields = Fields::new(initial.as_ref(), &event_types);
    let errors = RwSignal::new(BTreeMap::<String, String>::new());
    let form_error = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        let Some(error) = server_error.get() else {
            return;
        };
        match error.field.clone() {
            Some(field) => errors.update(|errors| {
                errors.insert(field, error.message.clone());
            }),
            None => form_error.set(Some(error.0.message)),
        }
    });
    let check = move |field: &'static str, result: Result<(), FieldError>| {
        errors.update(|errors| {
            errors.remove(field);
            if let Err(error) = result {
                errors.insert(error.field, error.message);
            }
        });
    };
    let on_submit_form = move |event: SubmitEvent| {
        event.prevent_default();
        form_error.set(None);
        match fields.draft() {
            Ok(draft) => {
                errors.set(BTreeMap::new());
                on_submit.run(draft);
            }
            Err(found) => {
                errors.set(
                    found
                        .into_iter()
                        .map(|error| (error.field, error.message))
                        .collect(),
                );
                form_error.set(Some("Please correct the marked fields.".to_owned()));
            }
        }
    };
    let error_of = move |field: &'static str| move || errors.with(|e| e.get(field).cloned());
    let invalid =
        move |field: &'static str| move || errors.with(|e| e.contains_key(field)).to_string();
    let catalog = event_types
        .into_iter()
        .filter(|t| !t.retired)
        .collect::<Vec<_>>();
    let selected_company = fields.company_id.get_untracked();
    let unknown_company = (!selected_company.is_empty()
        && !companies.iter().any(|c| c.id == selected_company))
    .then(|| selected_company.clone());

    let hydrated = use_hydrated();
    view! {
        <form class="panel webhook-form" novalidate on:submit=on_submit_form>
            <div class="field">
                <label for="url">"Endpoint URL"</label>
                <input
                    use:keep_typed
                    id="url"
                    type="url"
                    inputmode="url"
                    required
                    placeholder="https://api.example.com/webhooks"
                    aria-describedby="url-error"
                    aria-invalid=invalid("url")
                    value=fields.url.get_untracked()
                    prop:value=fields.url
                    on:input=move |event| fields.url.set(event_target_value(&event))
                    on:blur=move |_| check("url", WebhookUrl::parse(fields.url.get_untracked().trim()).map(|_| ()))
                />
                <p id="url-error" class="field-error">{error_of("url")}</p>
            </div>
            <div class="grid-2">
                <div class="field">
                    <label for="name">"Name"</label>
                    <input
                        use:keep_typed
                        id="name"
                        type="text"
                        aria-describedby="name-error"
                        aria-invalid=invalid("name")
                        value=fields.name.get_untracked()
                        prop:value=fields.name
                        on:input=move |event| fields.name.set(event_target_value(&event))
                        on:blur=move |_| check("name", validate_name(Fields::optional(fields.name).as_deref()))
                    />
                    <p id="name-error" class="field-error">{error_of("name")}</p>
                </div>
                <div class="field" hidden=company_fixed>
                    <label for="company">"Company"</label>
                    <select
                        use:keep_typed
                        id="company"
                        aria-describedby="companyId-error"
                        on:change=move |event| fields.company_id.set(event_target_value(&event))
                        prop:value=fields.company_id
                    >
                        <option value="">"All companies (global)"</option>
                        {unknown_company.map(|id| view! { <option value=id.clone() selected>{id.clone()}</option> })}
                        {companies
                            .into_iter()
                            .map(|company| {
                                let selected = company.id == selected_company;
                                view! { <option value=company.id.clone() selected=selected>{company.name}</option> }
                            })
                            .collect_view()}
                    </select>
                    <p id="companyId-error" class="field-error">{error_of("companyId")}</p>
                </div>
            </div>
            <div class="field">
                <label for="description">"Description"</label>
                <textarea
                    use:keep_typed
                    id="description"
                    rows="2"
                    aria-describedby="description-error"
                    aria-invalid=invalid("description")
                    prop:value=fields.description
                    on:input=move |event| fields.description.set(event_target_value(&event))
                    on:blur=move |_| check("description", validate_description(Fields::optional(fields.description).as_deref()))
                >{fields.description.get_untracked()}</textarea>
                <p id="description-error" class="field-error">{error_of("description")}</p>
            </div>
            <fieldset class="events" aria-describedby="events-error">
                <legend>"Events"</legend>
                <div class="check">
                    <input
                        use:keep_typed
                        id="event-all"
                        type="checkbox"
                        checked=fields.all_events.get_untracked()
                        prop:checked=fields.all_events
                        on:change=move |event| fields.all_events.set(event_target_checked(&event))
                    />
                    <label for="event-all">
                        "All events " <span class="hint">"every type, including types added later"</span>
                    </label>
                </div>
                {catalog
                    .into_iter()
                    .map(|event_type| {
                        let id = event_type.id;
                        let input_id = format!("event-{id}");
                        view! {
                            <div class="check">
                                <input
                                    use:keep_typed
                                    id=input_id.clone()
                                    type="checkbox"
                                    disabled=move || fields.all_events.get()
                                    checked=fields.all_events.get_untracked() || fields.event_ids.with_untracked(|ids| ids.contains(&id))
                                    prop:checked=move || fields.all_events.get() || fields.event_ids.with(|ids| ids.contains(&id))
                                    on:change=move |event| {
                                        let on = event_target_checked(&event);
                                        fields.event_ids.update(|ids| {
                                            ids.retain(|other| *other != id);
                                            if on {
                                                ids.push(id);
                                            }
                                        });
                                    }
                                />
                                <label for=input_id>
                                    <span class="mono">{event_type.label}</span>
                                    " "
                                    <span class="hint">{event_type.description}</span>
                                </label>
                            </div>
                        }
                    })
                    .collect_view()}
                <p id="events-error" class="field-error">{error_of("events")}</p>
            </fieldset>
            <HeaderRows rows=fields.headers errors />
            <fieldset>
                <legend>"Delivery"</legend>
                <div class="grid-4">
                    <NumberField id="timeoutMs" label="Timeout (ms)" value=fields.timeout_ms errors check_settings=Callback::new(move |()| check_settings(fields, errors)) />
                    <NumberField id="maxRetries" label="Retries" value=fields.max_retries errors check_settings=Callback::new(move |()| check_settings(fields, errors)) />
                    <NumberField id="retryBackoffSeconds" label="Back-off (s)" value=fields.backoff errors check_settings=Callback::new(move |()| check_settings(fields, errors)) />
                    <NumberField id="rateLimitPerSecond" label="Rate limit (per s)" value=fields.rate_limit errors check_settings=Callback::new(move |()| check_settings(fields, errors)) />
                </div>
            </fieldset>
            <p class="form-error" role="alert">{move || form_error.get()}</p>
            <div class="actions">
                <button type="submit" class="button" disabled=move || pending.get() || !hydrated.get()>
                    {move || if pending.get() { "Saving…" } else { submit_label }}
                </button>
                {on_cancel.map(|cancel| view! {
                    <button type="button" class="button secondary" on:click=move |_| cancel.run(())>
                        "Cancel"
                    </button>
                })}
            </div>
        </form>
    }
}

/// The four delivery settings are checked together (as the server does).
fn check_settings(fields: Fields, errors: RwSignal<BTreeMap<String, String>>) {
    errors.update(|errors| {
        for field in [
            "timeoutMs",
            "maxRetries",
            "retryBackoffSeconds",
            "rateLimitPerSecond",
        ] {
            errors.remove(field);
        }
        if let Err(error) = fields.settings() {
            errors.insert(error.field, error.message);
        }
    });
}

#[component]
fn NumberField(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    errors: RwSignal<BTreeMap<String, String>>,
    check_settings: Callback<()>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                use:keep_typed
                id=id
                type="text"
                inputmode="numeric"
                aria-describedby=error_id.clone()
                aria-invalid=move || errors.with(|e| e.contains_key(id)).to_string()
                value=value.get_untracked()
                prop:value=value
                on:input=move |event| value.set(event_target_value(&event))
                on:blur=move |_| check_settings.run(())
            />
            <p id=error_id class="field-error">{move || errors.with(|e| e.get(id).cloned())}</p>
        </div>
    }
}
