//! The portal's own server function, served under `/portal/fn/`. Its pages
//! call the console's shared ones with `Surface::Portal`, which take the
//! portal session's caller (never a console session or an API key); the
//! service binds it to the link's company and rights.

use super::ConsoleError;
use herald_model::PortalView;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Who the session acts for, as the portal's header shows it.
#[server(prefix = "/portal/fn", endpoint = "view", input = Json)]
pub async fn portal_session_view() -> Result<PortalView, ConsoleError> {
    let (service, token) = super::ssr::portal_session()?;
    Ok(service.portal_view(&token).await?)
}
