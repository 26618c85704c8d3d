//! The customer portal (SPEC §8): links an account hands to one of its
//! companies, the sessions they open, and how the portal shows the account.
//! A portal session acts as a principal bound to the link's company with
//! the link's rights, so every webhook and delivery rule of the service
//! applies to it unchanged; it never holds `admin` or `manage:account`.

mod branding;
mod links;
mod sessions;

pub use sessions::{OpenedPortal, PortalAccess};

use herald_model::Scope;

/// What a link lets its sessions do: read the company's webhooks and
/// deliveries, and unless it is read-only change its webhooks. Only a key
/// that holds all of it may make such a link.
fn granted_scopes(read_only: bool) -> Vec<Scope> {
    let mut scopes = vec![Scope::ReadWebhooks, Scope::ReadDeliveries];
    if !read_only {
        scopes.push(Scope::WriteWebhooks);
    }
    scopes
}
