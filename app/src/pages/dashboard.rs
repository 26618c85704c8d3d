use crate::{
    api::{dashboard_numbers, load},
    components::{refresh_ticks, short_time},
    model::{Dashboard, MinuteVolume, WebhookHealth},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

// The chart is drawn in tenths of its units, in whole numbers: formatting a
// float would bring the float printer (20 KB) into the bundle for this alone.
const CHART_WIDTH: u64 = 7200;
const CHART_HEIGHT: u64 = 1800;
const AXIS: u64 = 240;

/// `1234` tenths as the SVG number `123.4`.
fn tenths(value: u64) -> String {
    format!("{}.{}", value / 10, value % 10)
}

/// A share as a percentage with one decimal: `0.5` → `50.0 %`.
fn percent(rate: f64) -> String {
    let permille = (rate * 1000.0).round() as u64;
    format!("{}.{} %", permille / 10, permille % 10)
}

/// Delivery volume per minute over the last hour, the success rate and
/// each webhook's health, refreshed every few seconds.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let ticks = refresh_ticks();
    let numbers = load(move || ticks.get(), |_| dashboard_numbers());
    view! {
        <Title text="Dashboard" />
        <h1>"Dashboard"</h1>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match numbers.await {
                    Ok(numbers) => view! { <DashboardView numbers /> }.into_any(),
                    Err(error) => view! { <p class="banner error" role="alert">{error.0.message}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn DashboardView(numbers: Dashboard) -> impl IntoView {
    let total: u64 = numbers.minutes.iter().map(MinuteVolume::total).sum();
    let rate = numbers.success_rate.map_or_else(|| "—".to_owned(), percent);
    view! {
        <div class="stats">
            <div class="stat panel">
                <span class="stat-label">"Deliveries, last hour"</span>
                <span class="stat-value" data-testid="hour-total">{total}</span>
            </div>
            <div class="stat panel">
                <span class="stat-label">"Success rate"</span>
                <span class="stat-value" data-testid="success-rate">{rate}</span>
            </div>
        </div>
        <section class="panel">
            <h2>"Deliveries per minute"</h2>
            <VolumeChart minutes=numbers.minutes />
            <p class="legend small">
                <span class="swatch succeeded"></span>"Succeeded "
                <span class="swatch failed"></span>"Failed "
                <span class="swatch other"></span>"Waiting or cancelled"
            </p>
        </section>
        <section class="panel">
            <h2>"Webhook health"</h2>
            <HealthTable webhooks=numbers.webhooks />
        </section>
    }
}

/// Stacked bars, one per minute; each bar's `data-total` is its count.
#[component]
fn VolumeChart(minutes: Vec<MinuteVolume>) -> impl IntoView {
    let peak = minutes
        .iter()
        .map(MinuteVolume::total)
        .max()
        .unwrap_or(0)
        .max(1);
    let slots = (minutes.len() as u64).max(1);
    let slot = CHART_WIDTH / slots;
    let plot = CHART_HEIGHT - AXIS;
    let scale = move |count: u64| count * plot / peak;
    let first = minutes
        .first()
        .map(|m| short_time(&m.minute))
        .unwrap_or_default();
    let bars = minutes
        .into_iter()
        .enumerate()
        .map(|(index, minute)| {
            let x = index as u64 * slot + 10;
            let width = slot.saturating_sub(20).max(10);
            let mut top = plot;
            let mut segment = |count: u64, class: &'static str| {
                let height = scale(count);
                top -= height;
                (count > 0).then(|| {
                    view! { <rect class=class x=tenths(x) y=tenths(top) width=tenths(width) height=tenths(height) /> }
                })
            };
            let parts = (
                segment(minute.succeeded, "succeeded"),
                segment(minute.failed, "failed"),
                segment(minute.other, "other"),
            );
            let label = format!(
                "{}: {} deliveries ({} succeeded, {} failed, {} other)",
                short_time(&minute.minute),
                minute.total(),
                minute.succeeded,
                minute.failed,
                minute.other
            );
            view! {
                <g class="bar" data-minute=minute.minute.clone() data-total=minute.total()>
                    <title>{label}</title>
                    <rect class="hit" x=tenths(x) y=0 width=tenths(width) height=tenths(plot) />
                    {parts}
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <svg
                viewBox=format!("0 0 {} {}", tenths(CHART_WIDTH), tenths(CHART_HEIGHT))
                role="img"
                aria-label=format!("Deliveries per minute for the last hour; the tallest bar is {peak}")
                preserveAspectRatio="none"
            >
                <line class="axis" x1="0" y1=tenths(plot) x2=tenths(CHART_WIDTH) y2=tenths(plot) />
                {bars}
                <text class="tick" x="0" y=tenths(CHART_HEIGHT - 60)>{first}</text>
                <text class="tick" x=tenths(CHART_WIDTH) y=tenths(CHART_HEIGHT - 60) text-anchor="end">"now"</text>
                <text class="tick" x="4" y="12">{format!("{peak} / min")}</text>
            </svg>
        </figure>
    }
}

#[component]
fn HealthTable(webhooks: Vec<WebhookHealth>) -> impl IntoView {
    if webhooks.is_empty() {
        return view! {
            <p class="empty-note">"No webhooks yet. " <A href="/console/webhooks/new">"Create one"</A></p>
        }
        .into_any();
    }
    view! {
        <table class="table">
            <thead>
                <tr>
                    <th scope="col">"Webhook"</th>
                    <th scope="col">"State"</th>
                    <th scope="col">"Succeeded"</th>
                    <th scope="col">"Failed"</th>
                    <th scope="col">"Waiting"</th>
                    <th scope="col">"Failures in a row"</th>
                </tr>
            </thead>
            <tbody>
                {webhooks
                    .into_iter()
                    .map(|w| {
                        let state = if w.circuit_open {
                            view! { <span class="badge danger">"Circuit open"</span> }.into_any()
                        } else if w.is_active {
                            view! { <span class="badge success">"Active"</span> }.into_any()
                        } else {
                            view! { <span class="badge muted">"Inactive"</span> }.into_any()
                        };
                        view! {
                            <tr>
                                <td data-label="Webhook"><A href=format!("/console/webhooks/{}", w.id)>{w.name}</A></td>
                                <td data-label="State">{state}</td>
                                <td data-label="Succeeded">{w.succeeded}</td>
                                <td data-label="Failed">{w.failed}</td>
                                <td data-label="Waiting">{w.other}</td>
                                <td data-label="Failures in a row">{w.consecutive_failures}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
