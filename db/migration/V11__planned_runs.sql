-- Schema 11: sweeps queued for workers (sweep --queue), as in the PostgreSQL store's planned_runs.
-- Every statement may run twice: H2 commits each DDL statement by itself, so a process killed in the middle of this
-- migration leaves part of it done, and Flyway runs all of it again on the next open.
--
-- A queued sweep is its sweep row, a start event per run and a row here each; a worker claims a run by taking its
-- writer lease (run_writers' primary key lets only one session have it), so the queue needs no row that changes.
CREATE TABLE IF NOT EXISTS planned_runs (
    run_id   BIGINT NOT NULL PRIMARY KEY REFERENCES run_started (run_id),
    sweep_id BIGINT NOT NULL REFERENCES sweeps (sweep_id),
    position INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS planned_runs_in_order ON planned_runs (sweep_id, position);
GRANT SELECT, INSERT ON planned_runs TO backprop_app;
GRANT SELECT ON planned_runs TO backprop_reader;
CREATE TRIGGER IF NOT EXISTS planned_runs_are_append_only BEFORE UPDATE, DELETE ON planned_runs FOR EACH ROW
    CALL 'org.backprop.store.sql.AppendOnlyTrigger';
CREATE TABLE IF NOT EXISTS planned_runs_cannot_be_truncated (run_id BIGINT REFERENCES planned_runs (run_id));
CREATE TRIGGER IF NOT EXISTS planned_runs_guard_stays_empty BEFORE INSERT ON planned_runs_cannot_be_truncated FOR EACH ROW
    CALL 'org.backprop.store.sql.AppendOnlyTrigger';

-- The runs table (schema 10) shows 'planned' for a queued run that no worker trains and that has no epoch yet, as the
-- PostgreSQL store's runs view does.
