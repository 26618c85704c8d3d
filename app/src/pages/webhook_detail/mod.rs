mod panels;

use crate::{
    api::{
        ConsoleError, DeleteWebhook, ResetCircuit, RotateSecret, Surface, TestWebhook,
        UpdateWebhook, companies, event_types, get_webhook, load,
    },
    components::{
        ActiveBadge, CircuitBadge, ConfirmDialog, SecretOnce, WebhookDraft, WebhookForm,
        WebhookIds, use_can, use_toasts,
    },
    model::{ConsoleWebhook, Scope, WebhookOut, WebhookPatch},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_navigate, hooks::use_params_map};
use panels::{DeliveryLog, Settings, TestResultPanel};

/// One webhook: its settings, actions, and live delivery log.
#[component]
pub fn WebhookDetailPage(surface: Surface) -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let version = RwSignal::new(0_u64);
    let webhook = load(
        move || (id.get(), version.get()),
        move |(id, _)| get_webhook(surface, id),
    );

    view! {
        <Title text="Webhook" />
        <p class="crumbs"><A href=surface.path("/webhooks")>"← Webhooks"</A></p>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match webhook.await {
                    Ok(ConsoleWebhook { webhook, interactly_id }) => view! { <WebhookView surface webhook interactly_id version /> }.into_any(),
                    Err(error) => view! { <p class="banner error" role="alert">{error.0.message}</p> }.into_any(),
                }
            })}
        </Transition>
        <DeliveryLog surface webhook_id=id />
    }
}

fn report(toasts: crate::components::Toasts, error: &ConsoleError) {
    toasts.error(error.message.clone());
}

#[component]
fn WebhookView(
    surface: Surface,
    webhook: WebhookOut,
    interactly_id: String,
    version: RwSignal<u64>,
) -> impl IntoView {
    let can_write = use_can(Scope::WriteWebhooks);
    let toasts = use_toasts();
    let editing = RwSignal::new(false);
    let id = webhook.id.clone();
    let title = webhook.name.clone().unwrap_or_else(|| webhook.url.clone());
    let refresh = move || version.update(|v| *v += 1);

    let update = ServerAction::<UpdateWebhook>::new();
    Effect::new(move |_| match update.value().get() {
        Some(Ok(saved)) => {
            toasts.success(if editing.get_untracked() {
                "Webhook saved"
            } else if saved.is_active {
                "Webhook activated"
            } else {
                "Webhook deactivated"
            });
            editing.set(false);
            refresh();
        }
        Some(Err(error)) if error.field.is_none() || !editing.get_untracked() => {
            report(toasts, &error)
        }
        _ => {}
    });
    let reset = ServerAction::<ResetCircuit>::new();
    Effect::new(move |_| match reset.value().get() {
        Some(Ok(_)) => {
            toasts.success("Circuit reset: held deliveries are going out");
            refresh();
        }
        Some(Err(error)) => report(toasts, &error),
        None => {}
    });
    let rotate = ServerAction::<RotateSecret>::new();
    let rotated = RwSignal::new(None);
    Effect::new(move |_| match rotate.value().get() {
        Some(Ok(created)) => {
            toasts.success("Secret rotated; the old one keeps signing for 24 hours");
            rotated.set(Some(created));
        }
        Some(Err(error)) => report(toasts, &error),
        None => {}
    });
    let test = ServerAction::<TestWebhook>::new();
    Effect::new(move |_| match test.value().get() {
        Some(Ok(result)) if result.success => toasts.success("Test ping delivered"),
        Some(Ok(_)) => toasts.error("Test ping failed"),
        Some(Err(error)) => report(toasts, &error),
        None => {}
    });
    let delete = ServerAction::<DeleteWebhook>::new();
    let confirming = RwSignal::new(false);
    let navigate = use_navigate();
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(())) => {
            toasts.success("Webhook deleted");
            navigate(&surface.path("/webhooks"), Default::default());
        }
        Some(Err(error)) => {
            confirming.set(false);
            report(toasts, &error);
        }
        None => {}
    });

    let active = webhook.is_active;
    let circuit_open = webhook.circuit_opened_at.is_some();
    let (id_toggle, id_test, id_reset, id_rotate, id_delete, id_save) = (
        id.clone(),
        id.clone(),
        id.clone(),
        id.clone(),
        id.clone(),
        id.clone(),
    );
    let delete_message = format!(
        "Delete {title}? Its pending and held deliveries will be cancelled. This cannot be undone."
    );
    let edit_form = {
        let webhook = webhook.clone();
        move || {
            let webhook = webhook.clone();
            let id = id_save.clone();
            let on_submit = Callback::new(move |draft: WebhookDraft| {
                update.dispatch(UpdateWebhook {
                    surface,
                    id: id.clone(),
                    patch: draft.into_patch(),
                });
            });
            let server_error = Signal::derive(move || update.value().get().and_then(Result::err));
            let catalog = load(|| (), move |_| event_types(surface));
            let companies = load(|| (), move |_| companies(surface));
            view! {
                <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                    {
                        let webhook = webhook.clone();
                        move || {
                            let webhook = webhook.clone();
                            Suspend::new(async move {
                                let companies = companies.await.unwrap_or_default();
                                let event_types = catalog.await.unwrap_or_default();
                                view! {
                                    <WebhookForm
                                        company_fixed=!surface.account_details()
                                        initial=Some(webhook)
                                        event_types
                                        companies
                                        submit_label="Save changes"
                                        pending=update.pending()
                                        server_error
                                        on_submit
                                        on_cancel=Callback::new(move |()| editing.set(false))
                                    />
                                }
                            })
                        }
                    }
                </Transition>
            }
        }
    };

    view! {
        <div class="page-head">
            <div>
                <h1>{title.clone()}</h1>
                <p class="mono small muted break">{webhook.url.clone()}</p>
                <WebhookIds id=webhook.id.clone() interactly_id only_own=!surface.account_details() />
                <p>
                    <ActiveBadge webhook=webhook.clone() />
                    " "
                    <CircuitBadge webhook=webhook.clone() />
                </p>
            </div>
        </div>
        <Show when=move || can_write.get()>
            <div class="toolbar" role="toolbar" aria-label="Webhook actions">
                <button type="button" class="button secondary" on:click=move |_| editing.update(|e| *e = !*e)>
                    "Edit"
                </button>
                <button
                    type="button"
                    class="button secondary"
                    disabled=move || update.pending().get()
                    on:click={
                        let id = id_toggle.clone();
                        move |_| {
                            update.dispatch(UpdateWebhook {
                                surface,
                                id: id.clone(),
                                patch: WebhookPatch { is_active: Some(!active), ..Default::default() },
                            });
                        }
                    }
                >
                    {if active { "Deactivate" } else { "Activate" }}
                </button>
                <button
                    type="button"
                    class="button secondary"
                    disabled=move || test.pending().get()
                    on:click={
                        let id = id_test.clone();
                        move |_| { test.dispatch(TestWebhook { surface, id: id.clone() }); }
                    }
                >
                    {move || if test.pending().get() { "Testing…" } else { "Test" }}
                </button>
                {circuit_open.then(|| {
                    let id = id_reset.clone();
                    view! {
                        <button
                            type="button"
                            class="button secondary"
                            disabled=move || reset.pending().get()
                            on:click=move |_| { reset.dispatch(ResetCircuit { surface, id: id.clone() }); }
                        >
                            {move || if reset.pending().get() { "Resetting…" } else { "Reset circuit" }}
                        </button>
                    }
                })}
                <button
                    type="button"
                    class="button secondary"
                    disabled=move || rotate.pending().get()
                    on:click={
                        let id = id_rotate.clone();
                        move |_| { rotate.dispatch(RotateSecret { surface, id: id.clone() }); }
                    }
                >
                    {move || if rotate.pending().get() { "Rotating…" } else { "Rotate secret" }}
                </button>
                <button type="button" class="button danger" on:click=move |_| confirming.set(true)>
                    "Delete"
                </button>
            </div>
        </Show>
        {move || test.value().get().and_then(Result::ok).map(|result| view! { <TestResultPanel result /> })}
        {move || rotated.get().map(|created| view! {
            <SecretOnce created on_done=Callback::new(move |()| rotated.set(None)) />
        })}
        <Show when=move || confirming.get()>
            {
                let id = id_delete.clone();
                view! {
                    <ConfirmDialog
                        title="Delete webhook".to_owned()
                        message=delete_message.clone()
                        confirm_label="Delete webhook"
                        pending=delete.pending()
                        on_confirm=Callback::new(move |()| { delete.dispatch(DeleteWebhook { surface, id: id.clone() }); })
                        on_cancel=Callback::new(move |()| confirming.set(false))
                    />
                }
            }
        </Show>
        <Show when=move || editing.get() fallback={
            let webhook = webhook.clone();
            move || view! { <Settings webhook=webhook.clone() show_company=surface.account_details() /> }
        }>
            {edit_form.clone()}
        </Show>
    }
}
