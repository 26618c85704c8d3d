use crate::{
    api::{AddAccount, SwitchAccount, list_accounts, load},
    components::{SignedInUser, keep_typed, posted_error, short_time, use_toasts},
    model::AccountIn,
};
use leptos::{ev::SubmitEvent, prelude::*, server_fn::ServerFn};
use leptos_meta::Title;

/// Every account, a form to add one, and "Switch to" (`admin`).
#[component]
pub fn AccountsPage() -> impl IntoView {
    let add = ServerAction::<AddAccount>::new();
    let accounts = load(move || add.version().get(), |_| list_accounts());
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(posted_error(add));
    let toasts = use_toasts();
    let user = expect_context::<SignedInUser>();
    let current = move || user.0.with(|u| u.as_ref().map(|u| u.account_id.clone()));
    Effect::new(move |_| match add.value().get() {
        Some(Ok(account)) => {
            toasts.success(format!("Account {} added", account.name));
            name.set(String::new());
        }
        Some(Err(failure)) => error.set(Some(failure.0.message)),
        None => {}
    });
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let value = name.get_untracked().trim().to_owned();
        if value.is_empty() {
            error.set(Some("Enter a name".to_owned()));
            return;
        }
        error.set(None);
        add.dispatch(AddAccount {
            input: AccountIn { name: value },
        });
    };
    view! {
        <Title text="Accounts" />
        <h1>"Accounts"</h1>
        <form class="panel inline-form" method="post" action=AddAccount::url() novalidate on:submit=on_submit>
            <div class="field">
                <label for="account-name">"New account name"</label>
                <input
                    use:keep_typed
                    id="account-name"
                    name="input[name]"
                    type="text"
                    aria-describedby="account-name-error"
                    aria-invalid=move || error.get().is_some().to_string()
                    prop:value=name
                    on:input=move |event| name.set(event_target_value(&event))
                />
                <p id="account-name-error" class="field-error">{move || error.get()}</p>
            </div>
            <button type="submit" class="button" disabled=move || add.pending().get()>
                {move || if add.pending().get() { "Adding…" } else { "Add account" }}
            </button>
        </form>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match accounts.await {
                    Ok(accounts) => view! {
                        <table class="table accounts">
                            <thead><tr><th scope="col">"Name"</th><th scope="col">"Created"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                            <tbody>
                                {accounts.into_iter().map(|account| {
                                    let id = account.id.clone();
                                    let is_current = {
                                        let id = id.clone();
                                        move || current().as_deref() == Some(id.as_str())
                                    };
                                    view! {
                                        <tr>
                                            <td data-label="Name">{account.name.clone()}</td>
                                            <td data-label="Created">{short_time(&account.created_at)}</td>
                                            <td class="row-actions">
                                                <Show
                                                    when=is_current.clone()
                                                    fallback={
                                                        let id = id.clone();
                                                        let name = account.name.clone();
                                                        move || view! { <SwitchButton id=id.clone() name=name.clone() /> }
                                                    }
                                                >
                                                    <span class="badge info">"Current"</span>
                                                </Show>
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
    }
}

#[component]
fn SwitchButton(id: String, name: String) -> impl IntoView {
    let switch = ServerAction::<SwitchAccount>::new();
    let toasts = use_toasts();
    Effect::new(move |_| match switch.value().get() {
        Some(Ok(_)) => reload(),
        Some(Err(error)) => toasts.error(error.0.message),
        None => {}
    });
    view! {
        <button
            type="button"
            class="button secondary small"
            aria-label=format!("Switch to {name}")
            disabled=move || switch.pending().get()
            on:click=move |_| { switch.dispatch(SwitchAccount { account_id: Some(id.clone()) }); }
        >
            "Switch to"
        </button>
    }
}

/// Loads the page again, so every view shows the newly chosen account.
fn reload() {
    let _ = window().location().reload();
}
