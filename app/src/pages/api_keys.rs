use crate::{
    api::{CreateApiKey, RevokeApiKey, Surface, companies, list_api_keys, load},
    components::{
        ConfirmDialog, SecretField, SignedInUser, keep_typed, short_time, use_hydrated, use_toasts,
    },
    model::{ApiKeyIn, ApiKeyOut, CompanyOut, Scope},
};
use leptos::{ev::SubmitEvent, prelude::*};
use leptos_meta::Title;

/// The account's API keys: create one (shown once), revoke one
/// (`manage:account`).
#[component]
pub fn ApiKeysPage() -> impl IntoView {
    let create = ServerAction::<CreateApiKey>::new();
    let revoke = ServerAction::<RevokeApiKey>::new();
    let keys = load(
        move || (create.version().get(), revoke.version().get()),
        |_| list_api_keys(),
    );
    let companies = load(|| (), |_| companies(Surface::Console));
    let toasts = use_toasts();
    let confirming = RwSignal::new(None::<ApiKeyOut>);
    Effect::new(move |_| match revoke.value().get() {
        Some(Ok(())) => {
            toasts.success("API key revoked");
            confirming.set(None);
        }
        Some(Err(error)) => {
            toasts.error(error.0.message);
            confirming.set(None);
        }
        None => {}
    });
    let created = move || create.value().get().and_then(Result::ok);
    view! {
        <Title text="API keys" />
        <h1>"API keys"</h1>
        {move || match created() {
            Some(created) => view! {
                <section class="panel secret-once" aria-labelledby="key-title">
                    <h2 id="key-title">"New API key"</h2>
                    <p class="warning" role="alert">
                        "This key is shown once. Copy it now: Herald stores only its hash."
                    </p>
                    <SecretField id="new-api-key" label="API key" value=created.key />
                    <button type="button" class="button" on:click=move |_| create.value().set(None)>"Done"</button>
                </section>
            }.into_any(),
            None => view! {
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let companies = companies.await.unwrap_or_default();
                        view! { <NewKeyForm create companies /> }
                    })}
                </Transition>
            }.into_any(),
        }}
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match keys.await {
                    Ok(keys) => view! { <KeyTable keys confirming /> }.into_any(),
                    Err(error) => view! { <p class="banner error" role="alert">{error.0.message}</p> }.into_any(),
                }
            })}
        </Transition>
        {move || confirming.get().map(|key| {
            let id = key.id.clone();
            view! {
                <ConfirmDialog
                    title="Revoke API key".to_owned()
                    message=format!("Revoke {} ({}…)? Requests and console sessions using it stop working at once.", key.name, key.prefix)
                    confirm_label="Revoke key"
                    pending=revoke.pending()
                    on_confirm=Callback::new(move |()| { revoke.dispatch(RevokeApiKey { id: id.clone() }); })
                    on_cancel=Callback::new(move |()| confirming.set(None))
                />
            }
        })}
    }
}

#[component]
fn NewKeyForm(create: ServerAction<CreateApiKey>, companies: Vec<CompanyOut>) -> impl IntoView {
    let user = expect_context::<SignedInUser>();
    let grantable: Vec<Scope> = Scope::ALL
        .into_iter()
        .filter(|scope| {
            user.0
                .with_untracked(|u| u.as_ref().is_some_and(|u| scope.is_granted_by(&u.scopes)))
        })
        .collect();
    let name = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<Scope>::new());
    let company = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let toasts = use_toasts();
    Effect::new(move |_| match create.value().get() {
        Some(Ok(created)) => toasts.success(format!("API key {} created", created.api_key.name)),
        Some(Err(failure)) => error.set(Some(failure.0.message)),
        None => {}
    });
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let key_name = name.get_untracked().trim().to_owned();
        let scopes = chosen.get_untracked();
        if key_name.is_empty() {
            error.set(Some("Enter a name for the key".to_owned()));
            return;
        }
        if scopes.is_empty() {
            error.set(Some("Choose at least one scope".to_owned()));
            return;
        }
        error.set(None);
        let company_id = company.get_untracked();
        create.dispatch(CreateApiKey {
            input: ApiKeyIn {
                name: key_name,
                scopes,
                company_id: (!company_id.is_empty()).then_some(company_id),
                account_id: None,
            },
        });
    };
    let hydrated = use_hydrated();
    view! {
        <form class="panel" novalidate on:submit=on_submit>
            <h2>"New API key"</h2>
            <div class="grid-2">
                <div class="field">
                    <label for="key-name">"Name"</label>
                    <input
                        use:keep_typed
                        id="key-name"
                        type="text"
                        prop:value=name
                        on:input=move |event| name.set(event_target_value(&event))
                    />
                </div>
                <div class="field">
                    <label for="key-company">"Restricted to company"</label>
                    <select use:keep_typed id="key-company" on:change=move |event| company.set(event_target_value(&event))>
                        <option value="">"No restriction"</option>
                        {companies.into_iter().map(|c| view! { <option value=c.id>{c.name}</option> }).collect_view()}
                    </select>
                </div>
            </div>
            <fieldset>
                <legend>"Scopes"</legend>
                {grantable.into_iter().map(|scope| {
                    let id = format!("scope-{}", scope.as_str().replace(':', "-"));
                    view! {
                        <div class="check">
                            <input
                                use:keep_typed
                                id=id.clone()
                                type="checkbox"
                                on:change=move |event| {
                                    let on = event_target_checked(&event);
                                    chosen.update(|scopes| {
                                        scopes.retain(|s| *s != scope);
                                        if on { scopes.push(scope); }
                                    });
                                }
                            />
                            <label for=id class="mono">{scope.as_str()}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <p class="form-error" role="alert">{move || error.get()}</p>
            <button type="submit" class="button" disabled=move || create.pending().get() || !hydrated.get()>
                {move || if create.pending().get() { "Creating…" } else { "Create key" }}
            </button>
        </form>
    }
}

#[component]
fn KeyTable(keys: Vec<ApiKeyOut>, confirming: RwSignal<Option<ApiKeyOut>>) -> impl IntoView {
    view! {
        <table class="table api-keys">
            <thead>
                <tr>
                    <th scope="col">"Name"</th>
                    <th scope="col">"Key"</th>
                    <th scope="col">"Scopes"</th>
                    <th scope="col">"Created"</th>
                    <th scope="col">"Status"</th>
                </tr>
            </thead>
            <tbody>
                {keys.into_iter().map(|key| {
                    let scopes = key.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
                    let revoked = key.revoked_at.is_some();
                    let for_dialog = key.clone();
                    view! {
                        <tr>
                            <td data-label="Name">{key.name.clone()}</td>
                            <td data-label="Key" class="mono">{format!("{}…", key.prefix)}</td>
                            <td data-label="Scopes" class="mono small">{scopes}</td>
                            <td data-label="Created">{short_time(&key.created_at)}</td>
                            <td data-label="Status">
                                {if revoked {
                                    view! { <span class="badge muted">"Revoked"</span> }.into_any()
                                } else {
                                    view! {
                                        <button
                                            type="button"
                                            class="button secondary small"
                                            aria-label=format!("Revoke {}", key.name)
                                            on:click=move |_| confirming.set(Some(for_dialog.clone()))
                                        >
                                            "Revoke"
                                        </button>
                                    }.into_any()
                                }}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
