-- A webhook's revision: one more at every change a send depends on (an
-- edit, a rotated secret, a deletion). A delivery carries the revision it
-- was claimed under, and is sent only if its webhook is still at it, so a
-- change made by another process is never sent with the old settings.
ALTER TABLE webhooks ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
