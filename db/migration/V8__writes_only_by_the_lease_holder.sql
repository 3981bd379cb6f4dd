-- Schema 8: a run is appended to only by the session that holds its lease in run_writers (the process that started,
-- resumed or is importing it): another session's epoch, epoch part or end event for the run is refused, and a live
-- writer's lease can be neither taken away nor claimed in another session's name. The application's account alone
-- could otherwise end a run someone else is training.
-- Every statement may run twice (see schema 7): H2 commits each DDL statement by itself.
-- The store's users get passwords of their own and lose H2's admin rights in Java, after the migrations
-- (StoreUsers): passwords belong in the store's credentials file, not in a migration.
CREATE TRIGGER IF NOT EXISTS epoch_blocks_by_lease_holder BEFORE INSERT ON epoch_blocks FOR EACH ROW CALL 'org.backprop.store.sql.LeaseHolderTrigger';
CREATE TRIGGER IF NOT EXISTS epoch_parts_by_lease_holder BEFORE INSERT ON epoch_parts FOR EACH ROW CALL 'org.backprop.store.sql.LeaseHolderTrigger';
CREATE TRIGGER IF NOT EXISTS run_ended_by_lease_holder BEFORE INSERT ON run_ended FOR EACH ROW CALL 'org.backprop.store.sql.LeaseHolderTrigger';
CREATE TRIGGER IF NOT EXISTS run_writers_own_session BEFORE INSERT, DELETE ON run_writers FOR EACH ROW CALL 'org.backprop.store.sql.WriterLeaseTrigger';
