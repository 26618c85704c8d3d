//! Views reused across pages.

mod app_frame;
mod badges;
mod confirm_dialog;
mod console_layout;
mod delivery_table;
mod header_rows;
mod hydration;
mod live;
mod secret_once;
mod signed_in;
mod toast;
mod webhook_form;
mod webhook_ids;

pub use app_frame::AppFrame;
pub use badges::{ActiveBadge, CircuitBadge, DeliveryBadge};
pub use confirm_dialog::ConfirmDialog;
pub use console_layout::ConsoleLayout;
pub use delivery_table::{DeliveryTable, short_time};
pub use hydration::{keep_typed, posted_error, provide_hydrated, use_hydrated};
pub use live::{refresh_ticks, retry_delivery_action};
pub use secret_once::{SecretField, SecretOnce};
pub use signed_in::{SignedInUser, use_can};
pub use toast::{ToastHost, Toasts, provide_toasts, use_toasts};
pub use webhook_form::{WebhookDraft, WebhookForm};
pub use webhook_ids::WebhookIds;
