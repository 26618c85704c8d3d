//! The Companies page's portal section: links that let a company manage its
//! own webhooks (SPEC §8), and the name and colour the portal shows.

use crate::{
    api::{
        ConsoleError, CreatePortalLink, JsonBytes, RevokePortalLink, UpdateBranding, branding,
        list_portal_links, load,
    },
    components::{ConfirmDialog, SecretField, keep_typed, short_time, use_toasts},
    model::{AccountPatch, CompanyOut, PortalLinkIn, PortalLinkOut},
};
use leptos::{ev::SubmitEvent, prelude::*};

/// Make a link (company, lifetime, read-only), copy it once, see and revoke
/// the live ones.
#[component]
pub fn PortalLinks(
    companies: Resource<Result<Vec<CompanyOut>, ConsoleError>, JsonBytes>,
) -> impl IntoView {
    let create = ServerAction::<CreatePortalLink>::new();
    let revoke = ServerAction::<RevokePortalLink>::new();
    let links = load(
        move || (create.version().get(), revoke.version().get()),
        |_| list_portal_links(),
    );
    let toasts = use_toasts();
    let confirming = RwSignal::new(None::<PortalLinkOut>);
    Effect::new(move |_| {
        if let Some(result) = revoke.value().get() {
            match result {
                Ok(()) => toasts.success("Portal link revoked"),
                Err(error) => toasts.error(error.0.message),
            }
            confirming.set(None);
        }
    });
    let created = move || create.value().get().and_then(Result::ok);
    view! {
        <section class="panel" aria-labelledby="portal-title">
            <h2 id="portal-title">"Portal links"</h2>
            <p class="muted">
                "A link opens the customer portal for one company: its people manage that \
                 company's webhooks, read their deliveries and verify signatures, and see \
                 nothing else. Send it to them or embed the portal in your app."
            </p>
            {move || match created() {
                Some(link) => view! {
                    <div class="link-once">
                        <p class="warning" role="alert">
                            "This link is shown once. Copy it now: Herald stores only its hash."
                        </p>
                        <SecretField id="new-portal-link" label="Portal link" value=link.url />
                        <button type="button" class="button" on:click=move |_| create.value().set(None)>"Done"</button>
                    </div>
                }.into_any(),
                None => view! {
                    <Transition fallback=|| ()>
                        {move || Suspend::new(async move {
                            let companies = companies.await.unwrap_or_default();
                            view! { <NewLinkForm create companies /> }
                        })}
                    </Transition>
                }.into_any(),
            }}
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match links.await {
                        Ok(links) if links.is_empty() => view! { <p class="empty-note">"No live portal links."</p> }.into_any(),
                        Ok(links) => view! { <LinkTable links confirming /> }.into_any(),
                        Err(error) => view! { <p class="banner error" role="alert">{error.0.message}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        {move || confirming.get().map(|link| {
            let id = link.id.clone();
            view! {
                <ConfirmDialog
                    title="Revoke portal link".to_owned()
                    message=format!("Revoke the portal link of {}? Anyone using it is signed out at once.", link.company_name)
                    confirm_label="Revoke link"
                    pending=revoke.pending()
                    on_confirm=Callback::new(move |()| { revoke.dispatch(RevokePortalLink { id: id.clone() }); })
                    on_cancel=Callback::new(move |()| confirming.set(None))
                />
            }
        })}
    }
}

#[component]
fn NewLinkForm(
    create: ServerAction<CreatePortalLink>,
    companies: Vec<CompanyOut>,
) -> impl IntoView {
    let company = RwSignal::new(String::new());
    let lifetime = RwSignal::new("3600".to_owned());
    let read_only = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let toasts = use_toasts();
    Effect::new(move |_| match create.value().get() {
        Some(Ok(_)) => toasts.success("Portal link created"),
        Some(Err(failure)) => error.set(Some(failure.0.message)),
        None => {}
    });
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let company_id = company.get_untracked();
        if company_id.is_empty() {
            error.set(Some("Choose a company".to_owned()));
            return;
        }
        error.set(None);
        create.dispatch(CreatePortalLink {
            input: PortalLinkIn {
                company_id,
                expires_in_seconds: lifetime.get_untracked().parse().ok(),
                read_only: Some(read_only.get_untracked()),
            },
        });
    };
    view! {
        <form class="link-form" novalidate on:submit=on_submit>
            <div class="field">
                <label for="link-company">"Company"</label>
                <select use:keep_typed id="link-company" aria-describedby="link-error" on:change=move |event| company.set(event_target_value(&event))>
                    <option value="">"Choose…"</option>
                    {companies.into_iter().map(|c| view! { <option value=c.id>{c.name}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="link-lifetime">"Valid for"</label>
                <select use:keep_typed id="link-lifetime" on:change=move |event| lifetime.set(event_target_value(&event))>
                    <option value="3600">"1 hour"</option>
                    <option value="86400">"1 day"</option>
                    <option value="604800">"7 days"</option>
                </select>
            </div>
            <label class="check">
                <input use:keep_typed id="link-read-only" type="checkbox" on:change=move |event| read_only.set(event_target_checked(&event)) />
                " Read-only"
            </label>
            <button type="submit" class="button" disabled=move || create.pending().get()>
                {move || if create.pending().get() { "Creating…" } else { "Create link" }}
            </button>
            <p id="link-error" class="field-error" role="alert">{move || error.get()}</p>
        </form>
    }
}

#[component]
fn LinkTable(
    links: Vec<PortalLinkOut>,
    confirming: RwSignal<Option<PortalLinkOut>>,
) -> impl IntoView {
    view! {
        <table class="table portal-links">
            <thead>
                <tr>
                    <th scope="col">"Company"</th>
                    <th scope="col">"Access"</th>
                    <th scope="col">"Created"</th>
                    <th scope="col">"Expires"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>
                {links.into_iter().map(|link| view! {
                    <tr>
                        <td data-label="Company">{link.company_name.clone()}</td>
                        <td data-label="Access">{if link.read_only { "Read-only" } else { "Read and write" }}</td>
                        <td data-label="Created">{short_time(&link.created_at)}</td>
                        <td data-label="Expires">{short_time(&link.expires_at)}</td>
                        <td class="row-actions">
                            <button type="button" class="button danger small" on:click=move |_| confirming.set(Some(link.clone()))>"Revoke"</button>
                        </td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The name and accent colour the portal shows in its header.
#[component]
pub fn PortalBranding() -> impl IntoView {
    let save = ServerAction::<UpdateBranding>::new();
    let account = load(|| (), |_| branding());
    let toasts = use_toasts();
    Effect::new(move |_| match save.value().get() {
        Some(Ok(_)) => toasts.success("Portal appearance saved"),
        Some(Err(error)) => toasts.error(error.0.message),
        None => {}
    });
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                account.await.ok().map(|account| {
                    let name = RwSignal::new(account.display_name.unwrap_or_default());
                    let color = RwSignal::new(account.accent_color.unwrap_or_else(|| "#3451b2".to_owned()));
                    let on_submit = move |event: SubmitEvent| {
                        event.prevent_default();
                        let display_name = name.get_untracked().trim().to_owned();
                        save.dispatch(UpdateBranding {
                            patch: AccountPatch {
                                display_name: Some((!display_name.is_empty()).then_some(display_name)),
                                accent_color: Some(Some(color.get_untracked())),
                            },
                        });
                    };
                    view! {
                        <form class="panel inline-form" aria-labelledby="branding-title" novalidate on:submit=on_submit>
                            <h2 id="branding-title">"Portal appearance"</h2>
                            <div class="field">
                                <label for="portal-name">"Display name"</label>
                                <input use:keep_typed id="portal-name" type="text" placeholder=account.name value=name.get_untracked() prop:value=name on:input=move |event| name.set(event_target_value(&event)) />
                            </div>
                            <div class="field">
                                <label for="portal-color">"Accent colour"</label>
                                <input use:keep_typed id="portal-color" type="color" value=color.get_untracked() prop:value=color on:input=move |event| color.set(event_target_value(&event)) />
                            </div>
                            <button type="submit" class="button" disabled=move || save.pending().get()>"Save"</button>
                        </form>
                    }
                })
            })}
        </Transition>
    }
}
