//! How pages load what the server functions answer: a resource that the
//! server renders with its value and the browser hydrates from it.
//!
//! Leptos's default resource codec parses its JSON from a `str`, while a
//! server function's answer is parsed from bytes: the bundle would carry two
//! copies of every type's parser. [`load`] reads both the same way.

use leptos::{
    prelude::*,
    server::codee::{Decoder, Encoder},
};
use serde::{Serialize, de::DeserializeOwned};
use std::{pin::Pin, sync::Arc};

/// JSON, parsed from its bytes as server functions parse their answers.
pub struct JsonBytes;

impl<T: Serialize> Encoder<T> for JsonBytes {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(value: &T) -> Result<String, serde_json::Error> {
        serde_json::to_string(value)
    }
}

impl<T: DeserializeOwned> Decoder<T> for JsonBytes {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(encoded: &str) -> Result<T, serde_json::Error> {
        serde_json::from_slice(encoded.as_bytes())
    }
}

/// A resource of `fetcher`'s answer, fetched again whenever `source`
/// changes (as [`Resource::new`], but with [`JsonBytes`]).
///
/// Both closures are boxed before the resource is made: the resource's code
/// is then made once per source and answer type, not once per page that
/// loads something (each closure is a type of its own).
#[track_caller]
pub fn load<S, T, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Resource<T, JsonBytes>
where
    S: Send + Sync + Clone + PartialEq + 'static,
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    load_boxed(
        Arc::new(source),
        Arc::new(move |input| Box::pin(fetcher(input)) as BoxedFetch<T>),
    )
}

type BoxedFetch<T> = Pin<Box<dyn Future<Output = T> + Send>>;

#[track_caller]
fn load_boxed<S, T>(
    source: Arc<dyn Fn() -> S + Send + Sync>,
    fetcher: Arc<dyn Fn(S) -> BoxedFetch<T> + Send + Sync>,
) -> Resource<T, JsonBytes>
where
    S: Send + Sync + Clone + PartialEq + 'static,
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
{
    Resource::new_with_options(move || source(), move |input| fetcher(input), false)
}
