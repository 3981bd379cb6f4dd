-- Schema 10: runs becomes a table of the view table engine, with the columns and rows of schema 7's view and three more.
-- Why: H2 may reuse a subquery's result within a statement only when everything it reads is deterministic, and the
-- view called the session check bp_session_alive, so "WHERE run_id = (SELECT run_id FROM runs WHERE name = 'x')"
-- over a view of millions of rows ran the subquery once per row (35 s instead of 3 s). The table says when its rows
-- may have changed (a change to the event tables, or a writer's session closing), and has an index on run_id for
-- joins with the other views. It also gains each run's final_error, best_error and best_epoch (the last epoch's
-- total_error, the lowest and the first epoch with it), so which run of a sweep did best needs no join.
-- Every statement may run twice (H2 commits each DDL statement by itself): DROP TABLE IF EXISTS drops the view, or the
-- table a first, interrupted run of this migration made.
DROP TABLE IF EXISTS runs;
CREATE TABLE runs (
    RUN_ID BIGINT,
    NAME CHARACTER VARYING(200),
    LEARNING_RATE DOUBLE PRECISION,
    EPOCHS INTEGER,
    STATUS CHARACTER VARYING(16),
    PARENT_RUN_ID BIGINT,
    FORK_EPOCH INTEGER,
    CREATED_AT TIMESTAMP WITH TIME ZONE,
    SWEEP_ID BIGINT,
    LAYERS CHARACTER VARYING(4000),
    ACTIVATIONS CHARACTER VARYING(4000),
    SAMPLE_COUNT INTEGER,
    EPOCHS_RECORDED INTEGER,
    REASON CHARACTER VARYING(4000),
    ENDED_AT TIMESTAMP WITH TIME ZONE,
    FAILED_EPOCH INTEGER,
    FINAL_ERROR DOUBLE PRECISION,
    BEST_ERROR DOUBLE PRECISION,
    BEST_EPOCH INTEGER
) ENGINE "org.backprop.store.sql.ViewTableEngine" WITH "runs";
GRANT SELECT ON runs TO backprop_app;
GRANT SELECT ON runs TO backprop_reader;
