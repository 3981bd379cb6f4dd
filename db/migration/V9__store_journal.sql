-- Schema 9: the store-wide journal. Every row stored in an event table (a sweep, a start event, a block of epochs, a
-- terminal event) extends one hash chain, in commit order, so that a digest of the store (backprop digest) can later
-- prove that nothing it covered was removed or changed. What was stored before this schema is journaled once, here.

-- Which store this is: a copy of the file is the same store; another store has another id.
CREATE TABLE store_identity (
    store_id   UUID NOT NULL PRIMARY KEY,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO store_identity VALUES (RANDOM_UUID(), CURRENT_TIMESTAMP);

CREATE TABLE journal (
    seq          BIGINT NOT NULL PRIMARY KEY CHECK (seq > 0),
    kind         CHARACTER VARYING(8) NOT NULL CHECK (kind IN ('sweep', 'started', 'epochs', 'ended')),
    run_id       BIGINT NOT NULL,
    sweep_id     BIGINT NOT NULL,
    first_epoch  INTEGER NOT NULL,
    last_epoch   INTEGER NOT NULL,
    events       INTEGER NOT NULL CHECK (events >= 0),
    total_events BIGINT NOT NULL,
    event_hash   BINARY(32) NOT NULL,
    chain        BINARY(32) NOT NULL
);
CREATE INDEX journal_by_run ON journal (run_id, kind, first_epoch);

CREATE ALIAS bp_journal_backfill FOR 'org.backprop.store.sql.JournalBackfill.backfill';
CALL bp_journal_backfill();
DROP ALIAS bp_journal_backfill;

CREATE TRIGGER journal_is_written_by_the_store BEFORE INSERT ON journal FOR EACH ROW CALL 'org.backprop.store.sql.Journal$Guard';
CREATE TRIGGER journal_is_append_only BEFORE UPDATE, DELETE ON journal FOR EACH ROW CALL 'org.backprop.store.sql.AppendOnlyTrigger';
CREATE TRIGGER store_identity_is_append_only BEFORE INSERT, UPDATE, DELETE ON store_identity FOR EACH ROW CALL 'org.backprop.store.sql.AppendOnlyTrigger';
CREATE TRIGGER sweeps_are_journaled AFTER INSERT ON sweeps FOR EACH ROW CALL 'org.backprop.store.sql.JournalTrigger';
CREATE TRIGGER run_started_is_journaled AFTER INSERT ON run_started FOR EACH ROW CALL 'org.backprop.store.sql.JournalTrigger';
CREATE TRIGGER epoch_blocks_are_journaled AFTER INSERT ON epoch_blocks FOR EACH ROW CALL 'org.backprop.store.sql.JournalTrigger';
CREATE TRIGGER run_ended_is_journaled AFTER INSERT ON run_ended FOR EACH ROW CALL 'org.backprop.store.sql.JournalTrigger';

-- TRUNCATE bypasses triggers, but H2 refuses to truncate a table that a foreign key refers to: every event table
-- that no other table refers to yet gets an empty table that does (run_started, epoch_blocks and sweeps are referred to already).
CREATE TABLE run_ended_cannot_be_truncated (run_id BIGINT REFERENCES run_ended (run_id));
CREATE TABLE epoch_parts_cannot_be_truncated (
    run_id BIGINT, epoch INTEGER, part INTEGER,
    FOREIGN KEY (run_id, epoch, part) REFERENCES epoch_parts (run_id, epoch, part)
);
CREATE TABLE journal_cannot_be_truncated (seq BIGINT REFERENCES journal (seq));
CREATE TABLE store_identity_cannot_be_truncated (store_id UUID REFERENCES store_identity (store_id));
CREATE TRIGGER run_ended_guard_stays_empty BEFORE INSERT ON run_ended_cannot_be_truncated FOR EACH ROW CALL 'org.backprop.store.sql.AppendOnlyTrigger';
CREATE TRIGGER epoch_parts_guard_stays_empty BEFORE INSERT ON epoch_parts_cannot_be_truncated FOR EACH ROW CALL 'org.backprop.store.sql.AppendOnlyTrigger';
CREATE TRIGGER journal_guard_stays_empty BEFORE INSERT ON journal_cannot_be_truncated FOR EACH ROW CALL 'org.backprop.store.sql.AppendOnlyTrigger';
CREATE TRIGGER store_identity_guard_stays_empty BEFORE INSERT ON store_identity_cannot_be_truncated FOR EACH ROW CALL 'org.backprop.store.sql.AppendOnlyTrigger';

GRANT SELECT, INSERT ON journal TO backprop_app;
GRANT SELECT ON store_identity TO backprop_app;
GRANT SELECT ON journal, store_identity TO backprop_reader;
