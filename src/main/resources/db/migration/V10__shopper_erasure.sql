-- Shopper data rights (access and erasure, see docs/shopper-data.md). V9 is taken by the API keys.

-- The erasure list. The engagement topic cannot be rewritten, so every engagement batch (live,
-- replayed or rebuilt) skips the events of the user ids listed here: erased stays erased. Never
-- truncated by a rebuild. requested_by is who asked (the authenticated principal once keys exist).
CREATE TABLE shopper_erasures (
    user_id      text         PRIMARY KEY,
    erased_at    timestamptz  NOT NULL,
    requested_by varchar(200) NOT NULL,
    -- what the erasure removed, as counts (no personal data)
    removed      jsonb        NOT NULL
);

-- Dedupe ids name their shopper so that an erasure can find them (rows logged before this
-- migration have none and leave with the dedupe window). The index costs one more index entry per
-- event; without it an erasure would scan the whole window while holding every consumer back.
ALTER TABLE engagement_seen ADD COLUMN user_id text;
CREATE INDEX engagement_seen_user ON engagement_seen (user_id);

-- Who contributed each query -> product weight of query_engagement, and how much. An erasure
-- subtracts the shopper's share and drops the query links nobody else contributed (words only they
-- typed); the training export only exports query links some shopper still vouches for, so links
-- from before this migration (unattributed) are held back until a rebuild attributes them.
-- Engagement-derived like V2: a rebuild truncates and replays it.
CREATE TABLE shopper_queries (
    query      text             NOT NULL,
    product_id text             NOT NULL,
    user_id    text             NOT NULL,
    weight     double precision NOT NULL,
    PRIMARY KEY (query, product_id, user_id)
);
CREATE INDEX shopper_queries_user ON shopper_queries (user_id);
