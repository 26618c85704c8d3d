//! The multi-row statements that record a batch of attempts. Each row is a
//! `VALUES` row of typed parameters (`CAST(? AS TEXT)`), so PostgreSQL
//! knows the columns of the list as SQLite does; sqlx's `QueryBuilder`
//! writes each parameter as its database takes it (see [`crate::push_list`]).

use super::{CircuitTally, FinishedAttempt, next_status};
use sqlx::{Database, Encode, QueryBuilder, Type, query_builder::Separated};

/// One typed column of a `VALUES` row.
fn cast<'t, DB, T>(row: &mut Separated<'_, DB, &'static str>, value: T, kind: &str)
where
    DB: Database,
    T: Encode<'t, DB> + Type<DB>,
{
    row.push("CAST(")
        .push_bind_unseparated(value)
        .push_unseparated(format_args!(" AS {kind})"));
}

/// Records finished attempts in one statement.
pub(super) fn push_finish_attempts<DB>(update: &mut QueryBuilder<DB>, attempts: &[&FinishedAttempt])
where
    DB: Database,
    for<'t> &'t str: Encode<'t, DB> + Type<DB>,
    for<'t> Option<&'t str>: Encode<'t, DB> + Type<DB>,
    for<'t> i64: Encode<'t, DB> + Type<DB>,
    for<'t> Option<i64>: Encode<'t, DB> + Type<DB>,
{
    update.push(
        "UPDATE delivery_attempts SET outcome = v.column2, finished_at = v.column3, \
         duration_ms = v.column4, url = v.column5, http_status = v.column6, error_kind = v.column7, \
         error_message = v.column8, request_headers = v.column9, response_headers = v.column10, \
         response_body = v.column11 FROM (",
    );
    update.push_values(attempts, |mut row, done| {
        let outcome = if done.succeeded {
            "succeeded"
        } else {
            "failed"
        };
        cast(&mut row, done.attempt_id.as_str(), "TEXT");
        cast(&mut row, outcome, "TEXT");
        cast(&mut row, done.finished_at, "BIGINT");
        cast(&mut row, done.duration_ms, "BIGINT");
        cast(&mut row, done.url.as_str(), "TEXT");
        cast(&mut row, done.http_status, "BIGINT");
        cast(&mut row, done.error_kind.as_deref(), "TEXT");
        cast(&mut row, done.error_message.as_deref(), "TEXT");
        cast(&mut row, done.request_headers.as_str(), "TEXT");
        cast(&mut row, done.response_headers.as_str(), "TEXT");
        cast(&mut row, done.response_body.as_deref(), "TEXT");
    });
    update.push(") AS v WHERE delivery_attempts.id = v.column1");
}

/// Moves the attempts' deliveries on, each only while its worker still
/// holds it for this attempt (not for a later one: its lease ran out and
/// the same process claimed it again); returns the ids it moved.
/// (`status || ''`: by id, not the status index, as in the claim.)
pub(crate) fn push_finish_deliveries<DB>(
    update: &mut QueryBuilder<DB>,
    attempts: &[&FinishedAttempt],
) where
    DB: Database,
    for<'t> &'t str: Encode<'t, DB> + Type<DB>,
    for<'t> Option<&'t str>: Encode<'t, DB> + Type<DB>,
    for<'t> i64: Encode<'t, DB> + Type<DB>,
    for<'t> Option<i64>: Encode<'t, DB> + Type<DB>,
{
    update.push(
        "UPDATE deliveries SET status = v.column3, next_attempt_at = v.column4, locked_by = NULL, \
         locked_until = NULL, last_http_status = v.column5, last_error = v.column6, \
         updated_at = v.column7 FROM (",
    );
    update.push_values(attempts, |mut row, done| {
        let (status, next_at) = next_status(done);
        cast(&mut row, done.delivery_id.as_str(), "TEXT");
        cast(&mut row, done.worker_id.as_str(), "TEXT");
        cast(&mut row, status, "TEXT");
        cast(&mut row, next_at, "BIGINT");
        cast(&mut row, done.http_status, "BIGINT");
        cast(&mut row, done.error_message.as_deref(), "TEXT");
        cast(&mut row, done.finished_at, "BIGINT");
        cast(&mut row, done.attempt_number, "BIGINT");
    });
    update.push(
        ") AS v WHERE deliveries.id = v.column1 \
         AND deliveries.locked_by = v.column2 AND deliveries.status || '' = 'delivering' \
         AND deliveries.attempt_count = v.column8 RETURNING deliveries.id",
    );
}

/// Adds a batch's verdicts to the failure count of each webhook in one
/// statement, opening each circuit that reaches its threshold; returns each
/// webhook's `circuit_opened_at`. A reset starts the count again from zero.
/// (SET reads the row as it was, so both columns see the old count.) A
/// healthy webhook's successes would write its row unchanged: its row is
/// left alone, so a beat of successes writes no webhook page (and, on
/// PostgreSQL, beats running at once do not wait on each other's row locks).
/// Those rows are not returned: no success opens a circuit.
pub(super) fn push_count_failures<DB>(
    update: &mut QueryBuilder<DB>,
    tallies: &[(String, CircuitTally)],
) where
    DB: Database,
    for<'t> &'t str: Encode<'t, DB> + Type<DB>,
    for<'t> i64: Encode<'t, DB> + Type<DB>,
{
    const COUNT: &str = "CASE WHEN v.column2 = 1 THEN v.column3 \
                         ELSE webhooks.consecutive_failures + v.column3 END";
    update.push(format_args!(
        "UPDATE webhooks SET consecutive_failures = {COUNT}, \
         circuit_opened_at = CASE WHEN webhooks.circuit_opened_at IS NULL AND {COUNT} >= v.column4 \
             THEN v.column5 ELSE webhooks.circuit_opened_at END FROM ("
    ));
    update.push_values(tallies, |mut row, (webhook_id, tally)| {
        cast(&mut row, webhook_id.as_str(), "TEXT");
        cast(&mut row, i64::from(tally.reset), "BIGINT");
        cast(&mut row, tally.failures, "BIGINT");
        cast(&mut row, tally.threshold, "BIGINT");
        cast(&mut row, tally.at, "BIGINT");
    });
    update.push(
        ") AS v WHERE webhooks.id = v.column1 \
         AND NOT (v.column3 = 0 AND webhooks.consecutive_failures = 0) \
         RETURNING webhooks.id, webhooks.circuit_opened_at",
    );
}
