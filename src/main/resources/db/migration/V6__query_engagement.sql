-- What shoppers engaged with after a search or an assistant request (events that carry the
-- query): normalised query text -> product, weighted like co-engagement. Exported as training
-- pairs for fine-tuning; rebuilt from the engagement topic like the rest of V2.
CREATE TABLE query_engagement (
    query      text             NOT NULL,
    product_id text             NOT NULL,
    weight     double precision NOT NULL,
    PRIMARY KEY (query, product_id)
);
