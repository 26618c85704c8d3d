use crate::{
    api::{Surface, companies, list_webhooks, load},
    components::{ActiveBadge, CircuitBadge, keep_typed, use_can},
    model::{CompanyOut, Scope, WebhookOut},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// The webhooks of the account: filter by company, search by name or URL.
#[component]
pub fn WebhooksPage(surface: Surface) -> impl IntoView {
    let company = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let can_write = use_can(Scope::WriteWebhooks);
    let webhooks = load(
        move || company.get(),
        move |company| list_webhooks(surface, (!company.is_empty()).then_some(company)),
    );
    let companies = load(|| (), move |_| companies(surface));

    view! {
        <Title text="Webhooks" />
        <div class="page-head">
            <h1>"Webhooks"</h1>
            <Show when=move || can_write.get()>
                <A href=surface.path("/webhooks/new") attr:class="button">"New webhook"</A>
            </Show>
        </div>
        <div class="filters">
            <div class="field">
                <label for="search">"Search"</label>
                <input
                    use:keep_typed
                    id="search"
                    type="search"
                    placeholder="Name or URL"
                    prop:value=search
                    on:input=move |event| search.set(event_target_value(&event))
                />
            </div>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = companies.await.unwrap_or_default();
                    (surface.account_details() && !list.is_empty()).then(|| view! { <CompanyFilter company list /> })
                })}
            </Transition>
        </div>
        <Transition fallback=|| view! { <p class="muted">"Loading webhooks…"</p> }>
            {move || Suspend::new(async move {
                let known = companies.await.unwrap_or_default();
                match webhooks.await {
                    Ok(page) => {
                        let filtered = company.get_untracked().is_empty();
                        if page.data.is_empty() && filtered {
                            view! { <EmptyState can_write new_webhook=surface.path("/webhooks/new") /> }.into_any()
                        } else {
                            view! { <WebhookTable webhooks=page.data known search base=surface.base() show_company=surface.account_details() /> }.into_any()
                        }
                    }
                    Err(error) => view! { <p class="banner error" role="alert">{error.0.message}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn CompanyFilter(company: RwSignal<String>, list: Vec<CompanyOut>) -> impl IntoView {
    view! {
        <div class="field">
            <label for="company-filter">"Company"</label>
            <select
                use:keep_typed
                id="company-filter"
                prop:value=company
                on:change=move |event| company.set(event_target_value(&event))
            >
                <option value="">"All"</option>
                {list
                    .into_iter()
                    .map(|c| view! { <option value=c.id>{c.name}</option> })
                    .collect_view()}
            </select>
        </div>
    }
}

#[component]
fn EmptyState(can_write: Signal<bool>, new_webhook: String) -> impl IntoView {
    view! {
        <section class="empty-state">
            <h2>"No webhooks yet"</h2>
            <p>
                "A webhook is a URL of yours that Herald calls, signed, whenever an event you \
                subscribe to happens, retrying until it is received."
            </p>
            <Show when=move || can_write.get()>
                <A href=new_webhook.clone() attr:class="button">"New webhook"</A>
            </Show>
        </section>
    }
}

fn matches(webhook: &WebhookOut, needle: &str) -> bool {
    let needle = needle.trim().to_lowercase();
    needle.is_empty()
        || webhook.url.to_lowercase().contains(&needle)
        || webhook
            .name
            .as_deref()
            .is_some_and(|name| name.to_lowercase().contains(&needle))
}

#[component]
fn WebhookTable(
    webhooks: Vec<WebhookOut>,
    known: Vec<CompanyOut>,
    search: RwSignal<String>,
    base: &'static str,
    show_company: bool,
) -> impl IntoView {
    let company_name = move |id: &Option<String>| match id {
        None => "Global".to_owned(),
        Some(id) => known
            .iter()
            .find(|c| &c.id == id)
            .map_or_else(|| id.clone(), |c| c.name.clone()),
    };
    let rows: Vec<(WebhookOut, String)> = webhooks
        .into_iter()
        .map(|w| {
            let company = company_name(&w.company_id);
            (w, company)
        })
        .collect();
    let visible = move || {
        let needle = search.get();
        rows.iter()
            .filter(|(w, _)| matches(w, &needle))
            .cloned()
            .collect::<Vec<_>>()
    };
    view! {
        <table class="table webhooks">
            <thead>
                <tr>
                    <th scope="col">"Webhook"</th>
                    <th scope="col" hidden=!show_company>"Company"</th>
                    <th scope="col">"Events"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Failures"</th>
                </tr>
            </thead>
            <tbody>
                <For each=visible key=|(w, _)| (w.id.clone(), w.updated_at.clone()) let:row>
                    {
                        let (webhook, company) = row;
                        let title = webhook.name.clone().unwrap_or_else(|| webhook.url.clone());
                        view! {
                            <tr>
                                <td data-label="Webhook">
                                    <A href=format!("{base}/webhooks/{}", webhook.id)>{title}</A>
                                    <div class="muted mono small">{webhook.url.clone()}</div>
                                </td>
                                <td data-label="Company" hidden=!show_company>{company}</td>
                                <td data-label="Events" class="mono small">{webhook.events.join(", ")}</td>
                                <td data-label="Status">
                                    <ActiveBadge webhook=webhook.clone() />
                                    " "
                                    <CircuitBadge webhook=webhook.clone() />
                                </td>
                                <td data-label="Failures">{webhook.consecutive_failures}</td>
                            </tr>
                        }
                    }
                </For>
            </tbody>
        </table>
        <Show when=move || !search.get().trim().is_empty()>
            <p class="muted small">"Filtered by “" {move || search.get()} "”."</p>
        </Show>
    }
}
