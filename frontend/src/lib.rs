//! The wasm entry points: the server renders the page, this hydrates it.
//! Built twice: as the console's bundle, and with `portal` as the
//! customer portal's, so neither carries the other's pages.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    #[cfg(not(feature = "portal"))]
    leptos::mount::hydrate_body(app::App);
    #[cfg(feature = "portal")]
    leptos::mount::hydrate_body(app::PortalApp);
}
