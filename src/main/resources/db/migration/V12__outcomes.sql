-- Outcomes of served lists (docs/merchandising.md#what-lists-earned): what the events carrying a
-- recommId back did with each list, kept incrementally by the outcome consumer (group
-- <prefix>.outcomes on the engagement topic) and the served-list counter. Nothing here is
-- rebuilt by an engagement rebuild: it has its own offsets.

-- The served-list counter's mark: a row is counted once, by whichever instance locks it first
-- (FOR UPDATE SKIP LOCKED), in the transaction that adds it to the aggregates. The partial index
-- holds only the rows still to count, so it stays a few seconds' worth of lists small.
ALTER TABLE served_lists ADD COLUMN counted boolean NOT NULL DEFAULT false;
CREATE INDEX served_lists_uncounted ON served_lists (served_at) WHERE NOT counted;

-- The aggregates: one row per UTC day of serving x placement x model version x experiment variant
-- x rule. rule_id '' is the placement's whole row; a rule's row counts only the items it boosted
-- or pinned (served = lists in which it moved at least one item). experiment_id 0 and variant ''
-- when no experiment ran. Revenue is in the reporting currency (tastemaker.attribution.currency);
-- purchases in another currency are counted in purchases and in other_currency_purchases, not in revenue.
CREATE TABLE placement_outcomes (
    day           date    NOT NULL,
    placement     text    NOT NULL,
    model_version text    NOT NULL,
    experiment_id bigint  NOT NULL,
    variant       text    NOT NULL,
    rule_id       text    NOT NULL,
    served        bigint  NOT NULL DEFAULT 0,
    impressions   bigint  NOT NULL DEFAULT 0,
    clicks        bigint  NOT NULL DEFAULT 0,
    carts         bigint  NOT NULL DEFAULT 0,
    purchases     bigint  NOT NULL DEFAULT 0,
    revenue       numeric NOT NULL DEFAULT 0,
    other_currency_purchases bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (day, placement, model_version, experiment_id, variant, rule_id)
);

-- Each outcome credited, once per (list, product, outcome) whatever the duplicates; kept as long
-- as its served list (served_at, purged with it).
CREATE TABLE outcome_credits (
    recomm_id  text        NOT NULL,
    product_id text        NOT NULL,
    outcome    text        NOT NULL CHECK (outcome IN ('impression', 'click', 'cart', 'purchase')),
    served_at  timestamptz NOT NULL,
    PRIMARY KEY (recomm_id, product_id, outcome)
);
CREATE INDEX outcome_credits_served_at ON outcome_credits (served_at);

-- Outcomes whose list is not in served_lists yet: the API writes served lists asynchronously, so
-- an impression can overtake its list. Credited when the list arrives; after
-- tastemaker.attribution.pending-grace they count as unattributed.
CREATE TABLE outcome_pending (
    recomm_id  text        NOT NULL,
    product_id text        NOT NULL,
    outcome    text        NOT NULL,
    user_id    text        NOT NULL,
    value      numeric,
    currency   text,
    logged_at  timestamptz NOT NULL,
    PRIMARY KEY (recomm_id, product_id, outcome)
);
CREATE INDEX outcome_pending_logged_at ON outcome_pending (logged_at);
CREATE INDEX outcome_pending_user ON outcome_pending (user_id);

-- Outcomes that could not be credited, per UTC day of the event's logging: the recommId is unknown
-- or expired (its list purged), or the product was not in that list. Accepted, never rejected.
CREATE TABLE unattributed_outcomes (
    day     date   NOT NULL,
    outcome text   NOT NULL,
    reason  text   NOT NULL CHECK (reason IN ('unknown_recomm_id', 'product_not_in_list')),
    events  bigint NOT NULL,
    PRIMARY KEY (day, outcome, reason)
);

-- Per shopper and variant of an experiment: the unit of the A/B comparison
-- (models.experiments.ShopperOutcome). Deleted with the shopper on erasure.
CREATE TABLE experiment_shopper_outcomes (
    experiment_id bigint  NOT NULL,
    variant       text    NOT NULL,
    user_id       text    NOT NULL,
    lists         bigint  NOT NULL DEFAULT 0,
    impressions   bigint  NOT NULL DEFAULT 0,
    clicks        bigint  NOT NULL DEFAULT 0,
    carts         bigint  NOT NULL DEFAULT 0,
    purchases     bigint  NOT NULL DEFAULT 0,
    revenue       numeric NOT NULL DEFAULT 0,
    PRIMARY KEY (experiment_id, variant, user_id)
);
CREATE INDEX experiment_shopper_outcomes_user ON experiment_shopper_outcomes (user_id);

-- The outcome consumer's next offset per partition, stored with the state it produced.
CREATE TABLE outcome_offsets (
    topic       text   NOT NULL,
    partition   int    NOT NULL,
    next_offset bigint NOT NULL,
    PRIMARY KEY (topic, partition)
);
