-- Schema 5: runs gains each run's final_error, best_error and best_epoch (the last epoch's total_error, the lowest, and
-- the first epoch with it; a NaN loss is never the lowest), as H2's runs table (its schema 10) does. PostgreSQL leaves
-- the subqueries out of a query that names none of the three.
CREATE OR REPLACE VIEW runs AS
SELECT s.run_id, s.name, s.learning_rate, s.epochs,
       CASE WHEN e.status IS NOT NULL THEN e.status::text
            WHEN s.run_id IN (SELECT bp_leased_runs()) THEN 'running'
            WHEN EXISTS (SELECT 1 FROM planned_runs q WHERE q.run_id = s.run_id)
                 AND NOT EXISTS (SELECT 1 FROM epochs x WHERE x.run_id = s.run_id) THEN 'planned'
            ELSE 'interrupted' END AS status,
       s.parent_run_id, s.fork_epoch, s.created_at,
       s.sweep_id, s.layers::text AS layers, s.activations::text AS activations, s.sample_count,
       coalesce((SELECT x.epoch + 1 FROM epochs x WHERE x.run_id = s.run_id ORDER BY x.epoch DESC LIMIT 1), 0) AS epochs_recorded,
       e.reason::text AS reason, e.ended_at,
       CASE WHEN e.status = 'failed' THEN e.epoch END AS failed_epoch,
       (SELECT l.total_error FROM epoch_losses l WHERE l.run_id = s.run_id ORDER BY l.epoch DESC LIMIT 1) AS final_error,
       (SELECT min(l.total_error) FROM epoch_losses l WHERE l.run_id = s.run_id AND l.total_error <> 'NaN') AS best_error,
       (SELECT l.epoch FROM epoch_losses l WHERE l.run_id = s.run_id AND l.total_error <> 'NaN'
        ORDER BY l.total_error, l.epoch LIMIT 1) AS best_epoch
FROM run_started s LEFT JOIN run_ended e ON e.run_id = s.run_id;
