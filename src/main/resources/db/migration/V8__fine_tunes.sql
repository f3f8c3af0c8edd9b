-- Fine-tuning that works with several instances: the adapter weights live here, so every
-- instance loads an adapter version from the registry rather than from one instance's disk, and
-- a fine-tuning job's progress is readable on every instance and survives a restart.

CREATE TABLE model_artifacts (
    version    varchar(100) PRIMARY KEY,
    content    bytea        NOT NULL,
    created_at timestamptz  NOT NULL DEFAULT now()
);

CREATE TABLE fine_tune_jobs (
    version     varchar(100)     PRIMARY KEY,
    base        varchar(100)     NOT NULL,
    state       varchar(16)      NOT NULL CHECK (state IN ('training', 'trained', 'registered', 'failed')),
    epoch       int              NOT NULL DEFAULT 0,
    epochs      int              NOT NULL,
    batch       int              NOT NULL DEFAULT 0,
    batches     int              NOT NULL DEFAULT 0,
    loss        double precision,
    pairs       bigint           NOT NULL DEFAULT 0,
    adapter_path text,
    error       text,
    -- the instance training it renews this; a job whose instance went silent was interrupted
    heartbeat   timestamptz      NOT NULL DEFAULT now(),
    started_at  timestamptz      NOT NULL DEFAULT now(),
    finished_at timestamptz
);
