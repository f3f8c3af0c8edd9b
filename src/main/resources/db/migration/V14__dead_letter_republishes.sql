-- Dead letters an operator sent back to their source topic (POST /v1/operations/dead-letters:republish).
-- One row per dead letter: a second request for the same one finds it and sends nothing, so a replay
-- never counts twice, whatever the processors' dedupe window. Who did it and when; no payload and no
-- user id (the record stays on the dead-letter topic, which erasure treats as docs/shopper-data.md says).
-- republished_offset is null while the send is in flight; a claim left by a process that died before the
-- broker answered may be taken again after a minute.
CREATE TABLE dead_letter_republishes (
    dead_letter_topic     text         NOT NULL,
    dead_letter_partition int          NOT NULL,
    dead_letter_offset    bigint       NOT NULL,
    source_topic          text         NOT NULL,
    republished_by        varchar(200) NOT NULL,
    claimed_at            timestamptz  NOT NULL DEFAULT now(),
    republished_at        timestamptz,
    republished_partition int,
    republished_offset    bigint,
    PRIMARY KEY (dead_letter_topic, dead_letter_partition, dead_letter_offset)
);
