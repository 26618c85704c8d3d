//! The wasm entry points: the server renders the page, this hydrates it.
//! Built three times, one bundle per part: the console's main pages, with
//! `admin` its administration pages, with `portal` the customer portal; so
//! none carries the others' pages.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    #[cfg(not(any(feature = "admin", feature = "portal")))]
    leptos::mount::hydrate_body(app::App);
    #[cfg(feature = "admin")]
    leptos::mount::hydrate_body(app::AdminApp);
    #[cfg(feature = "portal")]
    leptos::mount::hydrate_body(app::PortalApp);
}
