-- Served lists are counted into the aggregates by the transaction that records them (the API's
-- served-list writer), no longer by a job that re-read and marked every row: that update rewrote
-- each row once more and cost the feed measurable CPU. Lists recorded before this version and not
-- counted yet are counted here, once, before the mark goes.

INSERT INTO placement_outcomes AS o (day, placement, model_version, experiment_id, variant, rule_id, served)
SELECT (served_at AT TIME ZONE 'UTC')::date, placement, model_version, coalesce(experiment_id, 0),
       coalesce(variant, ''), '', count(*)
FROM served_lists WHERE NOT counted
GROUP BY 1, 2, 3, 4, 5
ON CONFLICT (day, placement, model_version, experiment_id, variant, rule_id)
    DO UPDATE SET served = o.served + excluded.served;

-- a rule's row counts the lists in which it moved at least one item
INSERT INTO placement_outcomes AS o (day, placement, model_version, experiment_id, variant, rule_id, served)
SELECT day, placement, model_version, experiment_id, variant, rule_id, count(*)
FROM (SELECT DISTINCT s.recomm_id, (s.served_at AT TIME ZONE 'UTC')::date AS day, s.placement, s.model_version,
             coalesce(s.experiment_id, 0) AS experiment_id, coalesce(s.variant, '') AS variant, trim(r) AS rule_id
      FROM served_lists s, unnest(s.rule_ids) AS ids, unnest(string_to_array(ids, ',')) AS r
      WHERE NOT s.counted AND trim(r) <> '') touched
GROUP BY 1, 2, 3, 4, 5, 6
ON CONFLICT (day, placement, model_version, experiment_id, variant, rule_id)
    DO UPDATE SET served = o.served + excluded.served;

-- an experiment shopper's lists, unless the shopper was erased
INSERT INTO experiment_shopper_outcomes AS o (experiment_id, variant, user_id, lists)
SELECT experiment_id, variant, user_id, count(*)
FROM served_lists s
WHERE NOT counted AND experiment_id IS NOT NULL AND variant IS NOT NULL AND user_id IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM shopper_erasures e WHERE e.user_id = s.user_id)
GROUP BY 1, 2, 3
ON CONFLICT (experiment_id, variant, user_id) DO UPDATE SET lists = o.lists + excluded.lists;

DROP INDEX served_lists_uncounted;
ALTER TABLE served_lists DROP COLUMN counted;

-- Pins (saves) of a listed product are an outcome of its list, as clicks are.
ALTER TABLE placement_outcomes ADD COLUMN pins bigint NOT NULL DEFAULT 0;
ALTER TABLE outcome_credits DROP CONSTRAINT outcome_credits_outcome_check;
ALTER TABLE outcome_credits ADD CONSTRAINT outcome_credits_outcome_check
    CHECK (outcome IN ('impression', 'click', 'pin', 'cart', 'purchase'));
