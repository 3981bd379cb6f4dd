-- Schema 10: sweeps queued for workers (sweep --queue), as in the PostgreSQL store's planned_runs.
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

-- status adds 'planned': a queued run that no worker trains and that has no epoch yet (as the PostgreSQL store's runs).
CREATE OR REPLACE VIEW runs AS
SELECT s.run_id, s.name, s.learning_rate, s.epochs,
       CASE WHEN e.status IS NOT NULL THEN e.status
            WHEN EXISTS (SELECT 1 FROM run_writers w
                         WHERE w.run_id = s.run_id AND bp_session_alive(w.session_id, w.session_start)) THEN 'running'
            WHEN EXISTS (SELECT 1 FROM planned_runs q WHERE q.run_id = s.run_id)
                 AND NOT EXISTS (SELECT 1 FROM epoch_blocks b WHERE b.run_id = s.run_id) THEN 'planned'
            ELSE 'interrupted' END AS status,
       s.parent_run_id, s.fork_epoch, s.created_at,
       s.sweep_id, s.layers, s.activations, s.sample_count,
       COALESCE((SELECT b.last_epoch + 1 FROM epoch_blocks b WHERE b.run_id = s.run_id
                 AND b.first_epoch = (SELECT MAX(l.first_epoch) FROM epoch_blocks l WHERE l.run_id = s.run_id)), 0) AS epochs_recorded,
       e.reason, e.ended_at,
       CASE WHEN e.status = 'failed' THEN e.epoch END AS failed_epoch
FROM run_started s LEFT JOIN run_ended e ON e.run_id = s.run_id;
GRANT SELECT ON runs TO backprop_app;
GRANT SELECT ON runs TO backprop_reader;
