-- Each engagement batch now also names the shoppers whose taste profiles it changed, and each
-- erasure the shopper it erased, next to the products whose links changed: serving processes keep
-- active shoppers' profiles in memory and read one again only when a row here names its shopper,
-- instead of reading nearly every profile of a feed from PostgreSQL after a 500 ms cache.
ALTER TABLE co_engagement_changes RENAME TO engagement_changes;
ALTER INDEX co_engagement_changes_at RENAME TO engagement_changes_at;
ALTER TABLE engagement_changes ALTER COLUMN from_products SET DEFAULT '{}';
ALTER TABLE engagement_changes ADD COLUMN shoppers text[] NOT NULL DEFAULT '{}';
ALTER TABLE engagement_changes ADD COLUMN erased text[] NOT NULL DEFAULT '{}';
