//! The time between the server's page and the WebAssembly taking it over.
//!
//! What a person types in it is theirs: hydration binds each field to its
//! signal and sets the field from it, which would wipe what was typed.
//! `use:keep_typed` on a form control reads what the user changed (the value
//! against the server-rendered default) as the element hydrates, puts it back
//! once the page is bound, and replays it as `input` and `change` events so
//! the page's own handlers take it in.
//!
//! And the page says it is still loading: [`use_hydrated`] is false until
//! then, so buttons that need the WebAssembly are disabled, visibly. The
//! simple forms need none: they are plain posts to their server function
//! until then, and [`posted_error`] shows what such a post came back with.

use crate::api::ConsoleError;
use leptos::{prelude::*, server_fn::ServerFn, tachys::renderer::types::Element};

/// Whether the WebAssembly has taken the page over.
#[derive(Clone, Copy)]
struct Hydrated(ReadSignal<bool>);

/// Made once, at the root: effects run only in the browser, so the signal
/// turns true when the page has hydrated.
pub fn provide_hydrated() -> ReadSignal<bool> {
    let (hydrated, set_hydrated) = signal(false);
    Effect::new(move |_| set_hydrated.set(true));
    provide_context(Hydrated(hydrated));
    hydrated
}

/// False while the page is the server's alone (its buttons would do nothing).
pub fn use_hydrated() -> Signal<bool> {
    use_context::<Hydrated>().map_or_else(|| Signal::stored(true), |Hydrated(read)| read.into())
}

/// The error a plain form post to the action's server function came back
/// with: the server answers such a post with a redirect back, the error in
/// the address, which the action reads as its first value.
pub fn posted_error<S>(action: ServerAction<S>) -> Option<String>
where
    S: ServerFn<Error = ConsoleError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    action
        .value()
        .get_untracked()
        .and_then(Result::err)
        .map(|error| error.0.message)
}

/// The directive: `<input use:keep_typed ... />` on every input, textarea,
/// select and checkbox the server renders.
pub fn keep_typed(element: Element) {
    #[cfg(feature = "hydrate")]
    browser::keep(element);
    #[cfg(not(feature = "hydrate"))]
    let _ = element;
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::wasm_bindgen::JsCast;
    use web_sys::{
        Element, Event, EventInit, HtmlInputElement, HtmlOptionElement, HtmlSelectElement,
        HtmlTextAreaElement,
    };

    /// What the user changed in one control before hydration.
    enum Typed {
        Text(String),
        Checked(bool),
    }

    /// Marks a control already looked at: the directive runs again when its
    /// view is rebuilt, and what is typed after hydration is the page's own.
    const SEEN: &str = "data-kept";

    /// Not only during the first pass: a form inside a `Suspense` hydrates
    /// when its data is read, after that pass. A control the browser has just
    /// built holds its default, so this does nothing there.
    pub fn keep(element: Element) {
        if element.has_attribute(SEEN) {
            return;
        }
        let _ = element.set_attribute(SEEN, "");
        let Some(typed) = changed_by_user(&element) else {
            return;
        };
        // After this pass: by then the element's properties and handlers are bound.
        leptos::prelude::queue_microtask(move || replay(&element, typed));
    }

    fn changed_by_user(element: &Element) -> Option<Typed> {
        if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
            return if matches!(input.type_().as_str(), "checkbox" | "radio") {
                (input.checked() != input.default_checked())
                    .then(|| Typed::Checked(input.checked()))
            } else {
                (input.value() != input.default_value()).then(|| Typed::Text(input.value()))
            };
        }
        if let Some(area) = element.dyn_ref::<HtmlTextAreaElement>() {
            // A textarea's default is its text; reading it cannot fail for one.
            let default = area.default_value().unwrap_or_default();
            return (area.value() != default).then(|| Typed::Text(area.value()));
        }
        let select = element.dyn_ref::<HtmlSelectElement>()?;
        let options: Vec<HtmlOptionElement> = (0..select.length())
            .filter_map(|index| select.item(index))
            .filter_map(|option| option.dyn_into().ok())
            .collect();
        // With no option marked `selected`, the browser shows the first one
        // (the last marked one when several are): that is no choice of the user's.
        let default = options
            .iter()
            .rposition(HtmlOptionElement::default_selected)
            .unwrap_or(0);
        let changed = usize::try_from(select.selected_index()).ok() != Some(default);
        (!options.is_empty() && changed).then(|| Typed::Text(select.value()))
    }

    fn replay(element: &Element, typed: Typed) {
        if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
            match &typed {
                Typed::Checked(checked) => input.set_checked(*checked),
                Typed::Text(value) => input.set_value(value),
            }
        } else if let (Some(area), Typed::Text(value)) =
            (element.dyn_ref::<HtmlTextAreaElement>(), &typed)
        {
            area.set_value(value);
        } else if let (Some(select), Typed::Text(value)) =
            (element.dyn_ref::<HtmlSelectElement>(), &typed)
        {
            select.set_value(value);
        }
        for name in ["input", "change"] {
            let init = EventInit::new();
            init.set_bubbles(true);
            if let Ok(event) = Event::new_with_event_init_dict(name, &init) {
                let _ = element.dispatch_event(&event);
            }
        }
    }
}
