-- Engagement-derived state. Everything here can be rebuilt from the engagement topic.

-- Bumped by a rebuild: consumers that see a new generation rewind to the stored offsets.
CREATE TABLE engagement_generation (
    id         int PRIMARY KEY CHECK (id = 1),
    generation bigint NOT NULL
);
INSERT INTO engagement_generation VALUES (1, 0);

-- The next offset to apply per partition, written in the same transaction as the state it produced.
CREATE TABLE engagement_offsets (
    topic       text   NOT NULL,
    partition   int    NOT NULL,
    next_offset bigint NOT NULL,
    PRIMARY KEY (topic, partition)
);

-- Event ids applied within the dedupe window (by the time the broker logged them).
CREATE TABLE engagement_seen (
    event_id  text PRIMARY KEY,
    logged_at timestamptz NOT NULL
);
CREATE INDEX engagement_seen_logged_at ON engagement_seen (logged_at);

CREATE TABLE taste_profiles (
    user_id       text PRIMARY KEY,
    model_version text,
    vector        bytea,
    state         jsonb       NOT NULL,
    events        bigint      NOT NULL,
    as_of         timestamptz,
    updated_at    timestamptz NOT NULL
) WITH (
    -- every batch rewrites the profiles it touches: leave room for in-page (HOT) updates and vacuum
    -- early, or dead versions (mostly TOASTed vectors and state) outgrow the live rows several times
    fillfactor = 80,
    autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_cost_delay = 0,
    toast.autovacuum_vacuum_scale_factor = 0.02, toast.autovacuum_vacuum_cost_delay = 0
);

-- Raw forward link weights: what shoppers engage with after from_product. Top-K per item is read
-- through the primary key (an item's links are few), so no second index slows the writes.
CREATE TABLE co_engagement (
    from_product text             NOT NULL,
    to_product   text             NOT NULL,
    weight       double precision NOT NULL,
    PRIMARY KEY (from_product, to_product)
);

-- log_score = log Σ w·e^(λ(t − 2020-01-01)): its order never changes with the clock (see Trending).
CREATE TABLE trending_products (
    product_id text PRIMARY KEY,
    log_score  double precision NOT NULL,
    events     bigint           NOT NULL,
    category   text
) WITH (autovacuum_vacuum_scale_factor = 0.05, autovacuum_vacuum_cost_delay = 0);
CREATE INDEX trending_products_rank ON trending_products (log_score DESC);

CREATE TABLE trending_categories (
    category  text PRIMARY KEY,
    log_score double precision NOT NULL,
    events    bigint           NOT NULL
);
CREATE INDEX trending_categories_rank ON trending_categories (log_score DESC);
