-- Schema 12: bp_groups_rows(sql), whether a query's outermost SELECT aggregates or groups its rows, as H2 prepares it
-- in the caller's session. The console asks it of the process serving a store (it cannot prepare a query there
-- itself): an aggregate runs without lazy execution, so that H2 reuses its subqueries' results instead of running
-- "run_id = (SELECT run_id FROM runs WHERE name = 'x')" again for every row. Preparing does not run the query.
CREATE ALIAS IF NOT EXISTS bp_groups_rows FOR 'org.backprop.store.sql.QueryShape.groupsRows';
