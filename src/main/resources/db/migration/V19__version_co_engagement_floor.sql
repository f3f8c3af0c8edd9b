-- The floor under co-engagement's score normaliser is chosen by the evaluation gate with a
-- version's feed weights (#20) and travels with them on promote and rollback; null: the configured
-- tastemaker.blend.co-engagement-floor applies.
ALTER TABLE model_versions ADD COLUMN co_engagement_floor double precision;
