use crate::{
    api::{CreateWebhook, Surface, companies, event_types, load},
    components::{SecretOnce, WebhookDraft, WebhookForm, use_toasts},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

/// Create a webhook; afterwards its signing secret, shown once.
#[component]
pub fn NewWebhookPage(surface: Surface) -> impl IntoView {
    let create = ServerAction::<CreateWebhook>::new();
    let catalog = load(|| (), move |_| event_types(surface));
    let companies = load(|| (), move |_| companies(surface));
    let toasts = use_toasts();
    let navigate = use_navigate();
    let created = move || create.value().get().and_then(Result::ok);
    let server_error = Signal::derive(move || create.value().get().and_then(Result::err));
    Effect::new(move |_| match create.value().get() {
        Some(Ok(_)) => toasts.success("Webhook created"),
        Some(Err(error)) if error.field.is_none() => toasts.error(error.0.message),
        _ => {}
    });
    let on_submit = Callback::new(move |draft: WebhookDraft| {
        create.dispatch(CreateWebhook {
            surface,
            input: draft.into_new(),
        });
    });

    view! {
        <Title text="New webhook" />
        <h1>"New webhook"</h1>
        {move || match created() {
            Some(created) => {
                let id = created.webhook.id.clone();
                let navigate = navigate.clone();
                let on_done = Callback::new(move |()| {
                    navigate(&surface.path(&format!("/webhooks/{id}")), Default::default());
                });
                view! { <SecretOnce created on_done /> }.into_any()
            }
            None => view! {
                <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        let companies = companies.await.unwrap_or_default();
                        match catalog.await {
                            Ok(event_types) => view! {
                                <WebhookForm
                                    company_fixed=!surface.account_details()
                                    initial=None
                                    event_types
                                    companies
                                    submit_label="Create webhook"
                                    pending=create.pending()
                                    server_error
                                    on_submit
                                />
                            }
                            .into_any(),
                            Err(error) => view! { <p class="banner error" role="alert">{error.0.message}</p> }.into_any(),
                        }
                    })}
                </Transition>
            }
            .into_any(),
        }}
    }
}
