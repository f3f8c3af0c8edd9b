-- Attribution (docs/storefront-api.md#attribution): what each list answer served, so that the
-- events which carry its recommId back can be credited to its placement, model version, experiment
-- variant and merchandising rules. Written asynchronously by the API instances, in batches;
-- rows older than tastemaker.attribution.retention are deleted. An erasure deletes a shopper's rows.
CREATE TABLE served_lists (
    recomm_id      text        PRIMARY KEY,
    served_at      timestamptz NOT NULL,
    placement      text        NOT NULL,
    -- feed, similar, search or assistant
    surface        text        NOT NULL,
    -- null when the list was asked for without a shopper (a search, a product page)
    user_id        text,
    model_version  text        NOT NULL,
    -- the running experiment and the shopper's variant (control, treatment) when one ran
    experiment_id  bigint,
    variant        text,
    -- the items in position order: product_ids[i] is at position first_position + i - 1
    first_position int         NOT NULL,
    product_ids    text[]      NOT NULL,
    -- parallel to product_ids: the ids of the rules that boosted or pinned the item, comma-separated
    -- ('' when none)
    rule_ids       text[]      NOT NULL
);
CREATE INDEX served_lists_served_at ON served_lists (served_at);
CREATE INDEX served_lists_user ON served_lists (user_id) WHERE user_id IS NOT NULL;
