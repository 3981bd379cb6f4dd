-- Schema 7: who is writing which run, so that a run whose writer has gone shows as interrupted.
-- Every statement may run twice: H2 commits each DDL statement by itself, so a process killed in the middle of this
-- migration leaves part of it done, and Flyway runs all of it again on the next open.
--
-- A writer registers its H2 session here when it starts or resumes a run and removes the row when it stops. The
-- session is named by its id and start time (ids restart when the database is reopened; the start time tells the
-- sessions apart). The row is not an event: it may be deleted, and a row whose session is gone means nothing.
CREATE TABLE IF NOT EXISTS run_writers (
    run_id        BIGINT NOT NULL PRIMARY KEY REFERENCES run_started (run_id),
    session_id    INTEGER NOT NULL,
    session_start TIMESTAMP(9) WITH TIME ZONE NOT NULL,
    process       CHARACTER VARYING(300) NOT NULL,
    since         TIMESTAMP WITH TIME ZONE NOT NULL
);
GRANT SELECT, INSERT, DELETE ON run_writers TO backprop_app;
GRANT SELECT ON run_writers TO backprop_reader;

-- INFORMATION_SCHEMA.SESSIONS shows other sessions only to admins, so liveness is asked of the database itself.
CREATE ALIAS IF NOT EXISTS bp_session_alive FOR 'org.backprop.store.sql.WriterSessions.alive';

-- Unchanged columns, then failed_epoch; status adds 'interrupted': no terminal event and no live writer.
-- epochs_recorded comes from the last block found through the primary key (MAX(last_epoch) read every block).
CREATE OR REPLACE VIEW runs AS
SELECT s.run_id, s.name, s.learning_rate, s.epochs,
       CASE WHEN e.status IS NOT NULL THEN e.status
            WHEN EXISTS (SELECT 1 FROM run_writers w
                         WHERE w.run_id = s.run_id AND bp_session_alive(w.session_id, w.session_start)) THEN 'running'
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

