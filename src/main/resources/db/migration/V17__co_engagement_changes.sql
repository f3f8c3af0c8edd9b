-- Which products' outgoing co-engagement links each engagement batch changed. Serving processes
-- keep every product's links in memory and read a product's links again only when a row here
-- names it, instead of re-reading the links of every anchor every few seconds (three indexed reads
-- per feed). Written in the batch's own transaction, so a change is named exactly when it is
-- visible; rows are purged after a few minutes by the engagement consumers.
CREATE TABLE co_engagement_changes (
    seq           bigserial   PRIMARY KEY,
    changed_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    from_products text[]      NOT NULL
);
CREATE INDEX co_engagement_changes_at ON co_engagement_changes (changed_at);
