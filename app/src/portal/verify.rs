//! How a receiver checks that a request came from us: the Standard
//! Webhooks headers, and the libraries that verify them.

use leptos::prelude::*;
use leptos_meta::Title;

const NODE: &str = r#"// npm install standardwebhooks
import { Webhook } from "standardwebhooks";

const webhook = new Webhook(process.env.WEBHOOK_SECRET); // "whsec_..."

// In your handler, with the body exactly as received (not re-serialised):
const event = webhook.verify(rawBody, {
  "webhook-id": req.headers["webhook-id"],
  "webhook-timestamp": req.headers["webhook-timestamp"],
  "webhook-signature": req.headers["webhook-signature"],
}); // throws when the signature or the timestamp is wrong"#;

const PYTHON: &str = r#"# pip install standardwebhooks
import os
from standardwebhooks.webhooks import Webhook

webhook = Webhook(os.environ["WEBHOOK_SECRET"])  # "whsec_..."

# In your handler, with the body exactly as received:
event = webhook.verify(request.get_data(), dict(request.headers))
# raises WebhookVerificationError when the signature or the timestamp is wrong"#;

#[component]
pub fn VerifyPage() -> impl IntoView {
    view! {
        <Title text="Verify signatures" />
        <h1>"Verify our signatures"</h1>
        <section class="panel">
            <p>
                "Every request carries " <code>"webhook-id"</code> ", " <code>"webhook-timestamp"</code>
                " and " <code>"webhook-signature"</code> " headers, as the Standard Webhooks
                specification defines them. Verify them with your webhook's signing secret before
                you trust a request, and refuse one whose timestamp is more than five minutes old."
            </p>
            <p>
                "The secret (" <code>"whsec_…"</code> ") is shown once: when you create a webhook
                and when you rotate its secret. After a rotation the old secret keeps signing, beside
                the new one, for 24 hours."
            </p>
        </section>
        <section class="panel">
            <h2>"Node.js"</h2>
            <pre class="code">{NODE}</pre>
        </section>
        <section class="panel">
            <h2>"Python"</h2>
            <pre class="code">{PYTHON}</pre>
        </section>
    }
}
