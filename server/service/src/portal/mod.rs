//! The customer portal (SPEC §8): links an account hands to one of its
//! companies, the sessions they open, and how the portal shows the account.
//! A portal session acts as a principal bound to the link's company with
//! the link's rights, so every webhook and delivery rule of the service
//! applies to it unchanged; it never holds `admin` or `manage:account`.

mod branding;
mod links;
mod sessions;

pub use sessions::{OpenedPortal, PortalAccess};
