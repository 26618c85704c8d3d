//! Where a shared page is shown: the console or the customer portal. The
//! pages both show take it as a prop, pass it to every server function they
//! call, and the server function takes the caller from that surface's own
//! session: the console's, or the portal link's, which the service binds to
//! one company.

use serde::{Deserialize, Serialize};

/// The console (an API key's session) or the portal (a link's session).
/// The console's bundle knows only the console: there the type has one
/// value, and every choice below is made when it is compiled.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Surface {
    #[default]
    Console,
    #[cfg(any(feature = "ssr", feature = "portal"))]
    Portal,
}

impl Surface {
    /// Where the surface's pages live, `/console` or `/portal`.
    pub fn base(self) -> &'static str {
        match self {
            Self::Console => "/console",
            #[cfg(any(feature = "ssr", feature = "portal"))]
            Self::Portal => "/portal",
        }
    }

    /// `rest` (`/webhooks/…`) under the surface.
    pub fn path(self, rest: &str) -> String {
        format!("{}{rest}", self.base())
    }

    /// The console shows what only the account needs (ids of other
    /// systems, the company a webhook belongs to); the portal is one
    /// company's and does not.
    pub fn account_details(self) -> bool {
        self == Self::Console
    }
}
