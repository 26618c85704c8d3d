use super::portal_links::{PortalBranding, PortalLinks};
use crate::{
    api::{AddCompany, Surface, companies, load},
    components::{keep_typed, posted_error, short_time, use_toasts},
    model::CompanyIn,
};
use leptos::{ev::SubmitEvent, prelude::*, server_fn::ServerFn};
use leptos_meta::Title;

/// The account's companies, a form to add one (`manage:account`), and
/// the customer portal's links and appearance.
#[component]
pub fn CompaniesPage() -> impl IntoView {
    let add = ServerAction::<AddCompany>::new();
    let list = load(move || add.version().get(), |_| companies(Surface::Console));
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(posted_error(add));
    let toasts = use_toasts();
    Effect::new(move |_| match add.value().get() {
        Some(Ok(company)) => {
            toasts.success(format!("Company {} added", company.name));
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
        add.dispatch(AddCompany {
            input: CompanyIn {
                name: value,
                account_id: None,
            },
        });
    };
    view! {
        <Title text="Companies" />
        <h1>"Companies"</h1>
        <p class="muted">
            "A company groups the webhooks of one of your customers; an event published for it \
             reaches its webhooks and the global ones."
        </p>
        <form class="panel inline-form" method="post" action=AddCompany::url() novalidate on:submit=on_submit>
            <div class="field">
                <label for="company-name">"New company name"</label>
                <input
                    use:keep_typed
                    id="company-name"
                    name="input[name]"
                    type="text"
                    aria-describedby="company-name-error"
                    aria-invalid=move || error.get().is_some().to_string()
                    prop:value=name
                    on:input=move |event| name.set(event_target_value(&event))
                />
                <p id="company-name-error" class="field-error">{move || error.get()}</p>
            </div>
            <button type="submit" class="button" disabled=move || add.pending().get()>
                {move || if add.pending().get() { "Adding…" } else { "Add company" }}
            </button>
        </form>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(companies) if companies.is_empty() => view! { <p class="empty-note">"No companies yet."</p> }.into_any(),
                    Ok(companies) => view! {
                        <table class="table companies">
                            <thead><tr><th scope="col">"Name"</th><th scope="col">"Id"</th><th scope="col">"Created"</th></tr></thead>
                            <tbody>
                                {companies.into_iter().map(|c| view! {
                                    <tr>
                                        <td data-label="Name">{c.name}</td>
                                        <td data-label="Id" class="mono small break">{c.id}</td>
                                        <td data-label="Created">{short_time(&c.created_at)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(failure) => view! { <p class="banner error" role="alert">{failure.0.message}</p> }.into_any(),
                }
            })}
        </Transition>
        <PortalLinks companies=list />
        <PortalBranding />
    }
}
