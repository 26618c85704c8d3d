use crate::{
    api::{AddEventType, RetireEventType, Surface, event_types, load},
    components::{ConfirmDialog, keep_typed, posted_error, use_toasts},
    model::{EventType, EventTypeIn},
};
use leptos::{ev::SubmitEvent, prelude::*, server_fn::ServerFn};
use leptos_meta::Title;

/// The event-type catalog: add a type, retire one (`admin`).
#[component]
pub fn EventTypesPage() -> impl IntoView {
    let add = ServerAction::<AddEventType>::new();
    let retire = ServerAction::<RetireEventType>::new();
    let catalog = load(
        move || (add.version().get(), retire.version().get()),
        |_| event_types(Surface::Console),
    );
    let label = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let error = RwSignal::new(posted_error(add));
    let confirming = RwSignal::new(None::<EventType>);
    let toasts = use_toasts();
    Effect::new(move |_| match add.value().get() {
        Some(Ok(added)) => {
            toasts.success(format!("Event type {} added as {}", added.label, added.id));
            label.set(String::new());
            description.set(String::new());
        }
        Some(Err(failure)) => error.set(Some(failure.0.message)),
        None => {}
    });
    Effect::new(move |_| match retire.value().get() {
        Some(Ok(())) => {
            toasts.success("Event type retired");
            confirming.set(None);
        }
        Some(Err(failure)) => {
            toasts.error(failure.0.message);
            confirming.set(None);
        }
        None => {}
    });
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let new_label = label.get_untracked().trim().to_owned();
        if new_label.is_empty() {
            error.set(Some("Enter a label such as order.shipped".to_owned()));
            return;
        }
        error.set(None);
        add.dispatch(AddEventType {
            input: EventTypeIn {
                label: new_label,
                description: description.get_untracked().trim().to_owned(),
                example_payload: None,
            },
        });
    };
    view! {
        <Title text="Event types" />
        <h1>"Event types"</h1>
        <form class="panel" method="post" action=AddEventType::url() novalidate on:submit=on_submit>
            <h2>"New event type"</h2>
            <div class="grid-2">
                <div class="field">
                    <label for="type-label">"Label"</label>
                    <input use:keep_typed id="type-label" name="input[label]" type="text" class="mono" placeholder="order.shipped" prop:value=label
                        aria-describedby="type-error"
                        on:input=move |event| label.set(event_target_value(&event)) />
                </div>
                <div class="field">
                    <label for="type-description">"Description"</label>
                    <input use:keep_typed id="type-description" name="input[description]" type="text" prop:value=description
                        on:input=move |event| description.set(event_target_value(&event)) />
                </div>
            </div>
            <p id="type-error" class="form-error" role="alert">{move || error.get()}</p>
            <button type="submit" class="button" disabled=move || add.pending().get()>
                {move || if add.pending().get() { "Adding…" } else { "Add event type" }}
            </button>
        </form>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match catalog.await {
                    Ok(types) => view! {
                        <table class="table event-types">
                            <thead><tr>
                                <th scope="col">"Id"</th><th scope="col">"Label"</th>
                                <th scope="col">"Description"</th><th scope="col">"State"</th>
                            </tr></thead>
                            <tbody>
                                {types.into_iter().map(|t| {
                                    let for_dialog = t.clone();
                                    view! {
                                        <tr>
                                            <td data-label="Id">{t.id}</td>
                                            <td data-label="Label" class="mono">{t.label.clone()}</td>
                                            <td data-label="Description">{t.description.clone()}</td>
                                            <td data-label="State">
                                                {if t.retired {
                                                    view! { <span class="badge muted">"Retired"</span> }.into_any()
                                                } else {
                                                    view! {
                                                        <button type="button" class="button secondary small"
                                                            aria-label=format!("Retire {}", t.label)
                                                            on:click=move |_| confirming.set(Some(for_dialog.clone()))>
                                                            "Retire"
                                                        </button>
                                                    }.into_any()
                                                }}
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(failure) => view! { <p class="banner error" role="alert">{failure.0.message}</p> }.into_any(),
                }
            })}
        </Transition>
        {move || confirming.get().map(|t| {
            let id = t.id;
            view! {
                <ConfirmDialog
                    title="Retire event type".to_owned()
                    message=format!("Retire {}? Webhooks that subscribe to it keep receiving it; no new subscription can name it.", t.label)
                    confirm_label="Retire type"
                    pending=retire.pending()
                    on_confirm=Callback::new(move |()| { retire.dispatch(RetireEventType { id }); })
                    on_cancel=Callback::new(move |()| confirming.set(None))
                />
            }
        })}
    }
}
