-- Which instance builds an indexing version, and when it last said so: with several ingest
-- instances only one builds, and another takes over when the heartbeat stops (a crash).
ALTER TABLE model_versions ADD COLUMN build_owner varchar(200), ADD COLUMN build_heartbeat timestamptz;
