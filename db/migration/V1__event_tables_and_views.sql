-- Schema 1: the append-only event tables of a backprop store, the roles that may touch them, and the public views.
-- Flyway runs this as the store's owner; the application connects as BACKPROP_APP (SELECT, INSERT) and the
-- sql command as BACKPROP_READER (SELECT only), so the database itself refuses changes to recorded events.

CREATE TABLE run_started (
    run_id             BIGINT NOT NULL PRIMARY KEY CHECK (run_id > 0),
    name               CHARACTER VARYING(200) NOT NULL,
    learning_rate      DOUBLE PRECISION NOT NULL,
    epochs             INTEGER NOT NULL CHECK (epochs > 0),
    layers             CHARACTER VARYING(4000) NOT NULL,
    activations        CHARACTER VARYING(4000) NOT NULL,
    biased             BOOLEAN NOT NULL,
    train_biases       BOOLEAN NOT NULL,
    sample_count       INTEGER NOT NULL CHECK (sample_count > 0),
    inputs             BINARY VARYING NOT NULL,
    targets            BINARY VARYING NOT NULL,
    initial_parameters BINARY VARYING NOT NULL,
    weight_seed        BIGINT,
    parent_run_id      BIGINT REFERENCES run_started (run_id),
    fork_epoch         INTEGER,
    sweep_id           BIGINT,
    config             CHARACTER VARYING(1000000) NOT NULL,
    hash               BINARY(32) NOT NULL,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL
);

-- One row holds one or more whole epochs of one run, packed as little-endian doubles (see EpochCodec),
-- with the 32-byte chain hash of every epoch in it.
CREATE TABLE epoch_blocks (
    run_id      BIGINT NOT NULL REFERENCES run_started (run_id),
    first_epoch INTEGER NOT NULL CHECK (first_epoch >= 0),
    last_epoch  INTEGER NOT NULL,
    payload     BINARY VARYING NOT NULL,
    hashes      BINARY VARYING NOT NULL,
    PRIMARY KEY (run_id, first_epoch),
    CHECK (last_epoch >= first_epoch)
);

CREATE TABLE run_ended (
    run_id           BIGINT NOT NULL PRIMARY KEY REFERENCES run_started (run_id),
    status           CHARACTER VARYING(16) NOT NULL CHECK (status IN ('completed', 'failed')),
    epoch            INTEGER NOT NULL,
    reason           CHARACTER VARYING(4000),
    final_parameters BINARY VARYING,
    hash             BINARY(32) NOT NULL,
    ended_at         TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Grants stop the application's users; the triggers stop the owner too (TRUNCATE bypasses triggers, not grants).
CREATE TRIGGER run_started_is_append_only BEFORE UPDATE, DELETE ON run_started FOR EACH ROW CALL 'org.backprop.store.sql.AppendOnlyTrigger';
CREATE TRIGGER epoch_blocks_is_append_only BEFORE UPDATE, DELETE ON epoch_blocks FOR EACH ROW CALL 'org.backprop.store.sql.AppendOnlyTrigger';
CREATE TRIGGER run_ended_is_append_only BEFORE UPDATE, DELETE ON run_ended FOR EACH ROW CALL 'org.backprop.store.sql.AppendOnlyTrigger';
-- Epochs follow each other without gaps, and nothing is appended to a run that has ended.
CREATE TRIGGER epoch_blocks_follow_on BEFORE INSERT ON epoch_blocks FOR EACH ROW CALL 'org.backprop.store.sql.EpochOrderTrigger';

CREATE ALIAS bp_forward_values FOR 'org.backprop.store.sql.ViewFunctions.forwardValues';
CREATE ALIAS bp_losses FOR 'org.backprop.store.sql.ViewFunctions.losses';
CREATE ALIAS bp_epoch_losses FOR 'org.backprop.store.sql.ViewFunctions.epochLosses';
CREATE ALIAS bp_gradients FOR 'org.backprop.store.sql.ViewFunctions.gradients';
CREATE ALIAS bp_weight_updates FOR 'org.backprop.store.sql.ViewFunctions.weightUpdates';
CREATE ALIAS bp_epoch_sheet FOR 'org.backprop.store.sql.ViewFunctions.epochSheet';

CREATE VIEW runs AS
SELECT s.run_id, s.name, s.learning_rate, s.epochs,
       COALESCE(e.status, 'running') AS status,
       s.parent_run_id, s.fork_epoch, s.created_at,
       s.sweep_id, s.layers, s.activations, s.sample_count,
       COALESCE((SELECT MAX(b.last_epoch) + 1 FROM epoch_blocks b WHERE b.run_id = s.run_id), 0) AS epochs_recorded,
       e.reason, e.ended_at
FROM run_started s LEFT JOIN run_ended e ON e.run_id = s.run_id;

CREATE VIEW forward_values AS SELECT * FROM bp_forward_values();
CREATE VIEW losses AS SELECT * FROM bp_losses();
CREATE VIEW epoch_losses AS SELECT * FROM bp_epoch_losses();
CREATE VIEW gradients AS SELECT * FROM bp_gradients();
CREATE VIEW weight_updates AS SELECT * FROM bp_weight_updates();
CREATE VIEW epoch_sheet AS SELECT * FROM bp_epoch_sheet();

CREATE USER IF NOT EXISTS backprop_app PASSWORD 'backprop-app';
CREATE USER IF NOT EXISTS backprop_reader PASSWORD 'backprop-reader';
GRANT SELECT, INSERT ON run_started, epoch_blocks, run_ended TO backprop_app;
GRANT SELECT ON runs, forward_values, losses, epoch_losses, gradients, weight_updates, epoch_sheet TO backprop_app;
GRANT SELECT ON runs, forward_values, losses, epoch_losses, gradients, weight_updates, epoch_sheet TO backprop_reader;
GRANT SELECT ON run_started, epoch_blocks, run_ended TO backprop_reader;
GRANT SELECT ON "flyway_schema_history" TO backprop_app;
GRANT SELECT ON "flyway_schema_history" TO backprop_reader;
