//! Who is signed in, for the pages below the console layout: which
//! controls to show. (The server checks the scopes again on every call.)

use herald_model::{ConsoleUser, Scope};
use leptos::prelude::*;

/// The signed-in user; the layout sets it before it renders any page.
#[derive(Clone, Copy)]
pub struct SignedInUser(pub RwSignal<Option<ConsoleUser>>);

/// Whether the signed-in key holds `scope`.
pub fn use_can(scope: Scope) -> Signal<bool> {
    let user = use_context::<SignedInUser>();
    Signal::derive(move || {
        user.is_some_and(|user| {
            user.0.with(|user| {
                user.as_ref()
                    .is_some_and(|user| scope.is_granted_by(&user.scopes))
            })
        })
    })
}
