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
