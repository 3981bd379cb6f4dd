-- Schema 5: epochs larger than 256 KiB are split into parts. H2 2.5 corrupts its file when a single value exceeds
-- about a megabyte, so such an epoch keeps its first part (and its hash) in epoch_blocks and the rest here, in order.
CREATE TABLE epoch_parts (
    run_id  BIGINT NOT NULL,
    epoch   INTEGER NOT NULL,
    part    INTEGER NOT NULL CHECK (part >= 1),
    payload BINARY VARYING NOT NULL,
    PRIMARY KEY (run_id, epoch, part),
    FOREIGN KEY (run_id, epoch) REFERENCES epoch_blocks (run_id, first_epoch)
);

CREATE TRIGGER epoch_parts_is_append_only BEFORE UPDATE, DELETE ON epoch_parts FOR EACH ROW CALL 'org.backprop.store.sql.AppendOnlyTrigger';

GRANT SELECT, INSERT ON epoch_parts TO backprop_app;
GRANT SELECT ON epoch_parts TO backprop_reader;

-- Finding a run's last recorded epoch must not read every row of the run: an index on last_epoch answers it.
CREATE UNIQUE INDEX epoch_blocks_by_last_epoch ON epoch_blocks (run_id, last_epoch);

-- The views become table-engine tables that use conditions on run_id and epoch to read only the stored rows a query
-- selects (schema 1's table functions unpacked every run for every query). Same names, same columns. They are
-- queried directly rather than through CREATE VIEW, because H2 copies a view's rows into a temporary result first.
DROP VIEW forward_values;
DROP ALIAS bp_forward_values;
DROP VIEW losses;
DROP ALIAS bp_losses;
DROP VIEW epoch_losses;
DROP ALIAS bp_epoch_losses;
DROP VIEW gradients;
DROP ALIAS bp_gradients;
DROP VIEW weight_updates;
DROP ALIAS bp_weight_updates;
DROP VIEW epoch_sheet;
DROP ALIAS bp_epoch_sheet;
CREATE TABLE forward_values (
    RUN_ID BIGINT,
    EPOCH INTEGER,
    SAMPLE INTEGER,
    LAYER INTEGER,
    NEURON INTEGER,
    NET_INPUT DOUBLE PRECISION,
    ACTIVATION DOUBLE PRECISION,
    DELTA DOUBLE PRECISION
) ENGINE "org.backprop.store.sql.ViewTableEngine" WITH "forward_values";
GRANT SELECT ON forward_values TO backprop_app;
GRANT SELECT ON forward_values TO backprop_reader;
CREATE TABLE losses (
    RUN_ID BIGINT,
    EPOCH INTEGER,
    SAMPLE INTEGER,
    OUTPUT INTEGER,
    TARGET DOUBLE PRECISION,
    ACTUAL DOUBLE PRECISION,
    ERROR DOUBLE PRECISION
) ENGINE "org.backprop.store.sql.ViewTableEngine" WITH "losses";
GRANT SELECT ON losses TO backprop_app;
GRANT SELECT ON losses TO backprop_reader;
CREATE TABLE epoch_losses (
    RUN_ID BIGINT,
    EPOCH INTEGER,
    TOTAL_ERROR DOUBLE PRECISION
) ENGINE "org.backprop.store.sql.ViewTableEngine" WITH "epoch_losses";
GRANT SELECT ON epoch_losses TO backprop_app;
GRANT SELECT ON epoch_losses TO backprop_reader;
CREATE TABLE gradients (
    RUN_ID BIGINT,
    EPOCH INTEGER,
    WEIGHT CHARACTER VARYING,
    LAYER INTEGER,
    FROM_NEURON INTEGER,
    TO_NEURON INTEGER,
    GRADIENT DOUBLE PRECISION
) ENGINE "org.backprop.store.sql.ViewTableEngine" WITH "gradients";
GRANT SELECT ON gradients TO backprop_app;
GRANT SELECT ON gradients TO backprop_reader;
CREATE TABLE weight_updates (
    RUN_ID BIGINT,
    EPOCH INTEGER,
    WEIGHT CHARACTER VARYING,
    BEFORE DOUBLE PRECISION,
    DELTA DOUBLE PRECISION,
    AFTER DOUBLE PRECISION
) ENGINE "org.backprop.store.sql.ViewTableEngine" WITH "weight_updates";
GRANT SELECT ON weight_updates TO backprop_app;
GRANT SELECT ON weight_updates TO backprop_reader;
CREATE TABLE epoch_sheet (
    RUN_ID BIGINT,
    EPOCH INTEGER,
    LEARNING_RATE DOUBLE PRECISION,
    T1 DOUBLE PRECISION,
    T2 DOUBLE PRECISION,
    I1 DOUBLE PRECISION,
    I2 DOUBLE PRECISION,
    W1 DOUBLE PRECISION,
    W2 DOUBLE PRECISION,
    W3 DOUBLE PRECISION,
    W4 DOUBLE PRECISION,
    H1 DOUBLE PRECISION,
    A_H1 DOUBLE PRECISION,
    H2 DOUBLE PRECISION,
    A_H2 DOUBLE PRECISION,
    W5 DOUBLE PRECISION,
    W6 DOUBLE PRECISION,
    W7 DOUBLE PRECISION,
    W8 DOUBLE PRECISION,
    O1 DOUBLE PRECISION,
    A_O1 DOUBLE PRECISION,
    O2 DOUBLE PRECISION,
    A_O2 DOUBLE PRECISION,
    E1 DOUBLE PRECISION,
    E2 DOUBLE PRECISION,
    E_TOT DOUBLE PRECISION,
    DE_DW1 DOUBLE PRECISION,
    DE_DW2 DOUBLE PRECISION,
    DE_DW3 DOUBLE PRECISION,
    DE_DW4 DOUBLE PRECISION,
    DE_DW5 DOUBLE PRECISION,
    DE_DW6 DOUBLE PRECISION,
    DE_DW7 DOUBLE PRECISION,
    DE_DW8 DOUBLE PRECISION
) ENGINE "org.backprop.store.sql.ViewTableEngine" WITH "epoch_sheet";
GRANT SELECT ON epoch_sheet TO backprop_app;
GRANT SELECT ON epoch_sheet TO backprop_reader;
