-- Schema 2: what the database itself enforces. Nothing recorded changes: every event table refuses UPDATE, DELETE
-- and TRUNCATE, the owner's included. Epochs follow each other without gaps, whole, and only from the session that
-- holds the run's lease, a session-level advisory lock (bp_lease_key, run_id). Everything stored extends the
-- store's journal in the storing transaction. Functions that write what the application's role may not (the layouts,
-- the journal) run as the schema's owner and trust nothing but the rows being stored.

-- The lease: key 1 of every advisory lock of a backprop store; key 2 is the run id (0 is the journal's lock).
CREATE FUNCTION bp_lease_key() RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT 1651532400';

-- Whether the current session holds the run's lease.
CREATE FUNCTION bp_holds_lease(p_run bigint) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_locks l
                   WHERE l.locktype = 'advisory' AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
                     AND l.classid = bp_lease_key()::oid AND l.objid = p_run::oid AND l.objsubid = 2
                     AND l.pid = pg_catalog.pg_backend_pid() AND l.granted)
$$;

-- The runs whose lease some session of this database holds: a writer is alive.
CREATE FUNCTION bp_leased_runs() RETURNS SETOF bigint LANGUAGE sql STABLE AS $$
    SELECT l.objid::bigint FROM pg_catalog.pg_locks l
    WHERE l.locktype = 'advisory' AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
      AND l.classid = bp_lease_key()::oid AND l.objsubid = 2 AND l.objid <> 0 AND l.granted
$$;

CREATE FUNCTION bp_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'backprop: % is append-only: recorded events are never changed or removed (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'ZB004';
END
$$;

-- Little-endian bytes of a number, as events.StoreJournal packs them.
CREATE FUNCTION bp_le(p_value bigint, p_bytes integer) RETURNS bytea LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    out bytea := substring('\x0000000000000000'::bytea FROM 1 FOR p_bytes);
BEGIN
    FOR i IN 0 .. p_bytes - 1 LOOP
        out := set_byte(out, i, ((p_value >> (8 * i)) & 255)::integer);
    END LOOP;
    RETURN out;
END
$$;

-- Appends one entry to the journal, chained as events.StoreJournal.chain chains it. The journal's advisory lock,
-- held until the transaction ends, makes the order of entries the order of commits (and hands out run ids, see the
-- adapter): two transactions storing at once append one after the other.
CREATE FUNCTION bp_journal_append(p_kind text, p_run bigint, p_sweep bigint, p_first integer, p_last integer, p_events integer,
                                  p_event_hash bytea) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = backprop, pg_catalog AS $$
DECLARE
    v_seq      bigint;
    v_total    bigint;
    v_previous bytea;
    v_chain    bytea;
BEGIN
    PERFORM pg_advisory_xact_lock(bp_lease_key(), 0);
    SELECT j.seq + 1, j.total_events + p_events, j.chain INTO v_seq, v_total, v_previous FROM journal j ORDER BY j.seq DESC LIMIT 1;
    IF NOT FOUND THEN
        v_seq := 1;
        v_total := p_events;
        v_previous := sha256(convert_to('backprop journal 1', 'UTF8') || uuid_send((SELECT store_id FROM store_identity)));
    END IF;
    v_chain := sha256(v_previous || bp_le(v_seq, 8)
        || bp_le(CASE p_kind WHEN 'sweep' THEN 0 WHEN 'started' THEN 1 WHEN 'epochs' THEN 2 WHEN 'ended' THEN 3 END, 1)
        || bp_le(p_run, 8) || bp_le(p_sweep, 8) || bp_le(p_first, 4) || bp_le(p_last, 4) || bp_le(p_events, 4)
        || bp_le(v_total, 8) || p_event_hash);
    PERFORM set_config('backprop.journaling', 'on', true);
    INSERT INTO journal (seq, kind, run_id, sweep_id, first_epoch, last_epoch, events, total_events, event_hash, chain)
    VALUES (v_seq, p_kind, p_run, p_sweep, p_first, p_last, p_events, v_total, p_event_hash, v_chain);
    PERFORM set_config('backprop.journaling', 'off', true);
END
$$;
REVOKE ALL ON FUNCTION bp_journal_append(text, bigint, bigint, integer, integer, integer, bytea) FROM PUBLIC;

-- Only bp_journal_append writes the journal (the application's role has no right to, and this stops the owner too).
CREATE FUNCTION bp_journal_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('backprop.journaling', true), 'off') <> 'on' THEN
        RAISE EXCEPTION 'backprop: the journal is written by the store alone, as events are stored: it cannot be inserted into'
            USING ERRCODE = 'ZB004';
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION bp_sweep_stored() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = backprop, pg_catalog AS $$
DECLARE
    v_seconds bigint := floor(extract(epoch FROM NEW.created_at))::bigint;
    v_nanos   bigint := (extract(microseconds FROM NEW.created_at)::bigint % 1000000) * 1000;
BEGIN
    PERFORM bp_journal_append('sweep', 0, NEW.sweep_id, -1, -1, 0,
        sha256(bp_le(NEW.sweep_id, 8) || bp_le(CASE WHEN NEW.chained THEN 1 ELSE 0 END, 1) || bp_le(v_seconds, 8) || bp_le(v_nanos, 4)));
    RETURN NULL;
END
$$;

-- A start event is journaled, and its layout derived from its network: weights w1..wN layer by layer, for each
-- target neuron, for each source neuron; biases b1..bM, one per non-input neuron (see model.Network).
CREATE FUNCTION bp_run_stored() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = backprop, pg_catalog AS $$
DECLARE
    v_sizes   integer[] := string_to_array(NEW.layers, '-')::integer[];
    v_count   integer := cardinality(v_sizes);
    v_weights integer;
    v_neurons integer;
    v_biases  integer;
    v_params  integer;
    v_per     integer;
BEGIN
    SELECT coalesce(sum(v_sizes[l - 1] * v_sizes[l]), 0), coalesce(sum(v_sizes[l]), 0) INTO v_weights, v_neurons
    FROM generate_series(2, v_count) AS l;
    v_biases := CASE WHEN NEW.biased THEN v_neurons ELSE 0 END;
    v_params := v_weights + v_biases;
    v_per := NEW.sample_count * v_neurons;
    INSERT INTO run_layouts
    VALUES (NEW.run_id, v_weights, v_biases, v_neurons, v_sizes[1], v_sizes[v_count], NEW.sample_count, v_params,
            v_params, v_params + v_per, v_params + 2 * v_per, v_params + 3 * v_per, 2 * v_params + 3 * v_per, 2 * v_params + 3 * v_per + 1,
            v_neurons - v_sizes[v_count], NEW.sample_count = 1 AND NEW.layers = '2-2-2' AND NOT NEW.biased);
    INSERT INTO run_parameters
    SELECT NEW.run_id, row_number() OVER (ORDER BY l, t, f), 'w' || row_number() OVER (ORDER BY l, t, f), l - 1, f, t
    FROM generate_series(2, v_count) AS l, generate_series(1, v_sizes[l]) AS t, generate_series(1, v_sizes[l - 1]) AS f;
    IF NEW.biased THEN
        INSERT INTO run_parameters
        SELECT NEW.run_id, v_weights + row_number() OVER (ORDER BY l, t), 'b' || row_number() OVER (ORDER BY l, t), l - 1, 0, t
        FROM generate_series(2, v_count) AS l, generate_series(1, v_sizes[l]) AS t;
    END IF;
    INSERT INTO run_units
    SELECT NEW.run_id, i, 0, i FROM generate_series(1, v_sizes[1]) AS i
    UNION ALL
    SELECT NEW.run_id, v_sizes[1] + row_number() OVER (ORDER BY l, t), l - 1, t FROM generate_series(2, v_count) AS l, generate_series(1, v_sizes[l]) AS t;
    PERFORM bp_journal_append('started', NEW.run_id, 0, -1, -1, 1, NEW.hash);
    RETURN NULL;
END
$$;

-- A terminal event comes only from the session holding the run's lease.
CREATE FUNCTION bp_run_ending() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT bp_holds_lease(NEW.run_id) THEN
        RAISE EXCEPTION 'backprop: only the session holding run %''s lease may end it (run_ended): ''backprop resume %'' takes the lease',
            NEW.run_id, NEW.run_id USING ERRCODE = 'ZB003';
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION bp_run_ended() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = backprop, pg_catalog AS $$
BEGIN
    PERFORM bp_journal_append('ended', NEW.run_id, 0, -1, -1, 1, NEW.hash);
    RETURN NULL;
END
$$;

-- Once per statement that stores epochs (a COPY of whole epochs): for each run in it, the epochs must follow on from
-- the run's last stored epoch without a gap, be whole, come from the lease holder and go to a run that has not ended;
-- then each block of them (the epochs stored with one block_first, as the recorder sealed them) is journaled as one
-- entry, whose hash is events.StoreJournal.blockHash: the SHA-256 of the block's epoch hashes in order.
CREATE FUNCTION bp_epochs_stored() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = backprop, pg_catalog AS $$
DECLARE
    b          record;
    v_run      bigint := NULL;
    v_doubles  integer;
    v_expected integer;
    v_last     integer;
BEGIN
    -- One pass, block by block in order: the rows sorted carry only their number, hash and size, never their values.
    FOR b IN SELECT a.run_id, a.block_first, min(a.epoch) AS first, max(a.epoch) AS last, count(*) AS n,
                    min(cardinality(a.vals)) AS least, max(cardinality(a.vals)) AS most,
                    sha256(string_agg(a.hash, ''::bytea ORDER BY a.epoch)) AS block_hash
             FROM added a GROUP BY a.run_id, a.block_first ORDER BY a.run_id, a.block_first LOOP
        IF v_run IS DISTINCT FROM b.run_id THEN
            IF v_run IS NOT NULL THEN
                PERFORM bp_epochs_end_there(v_run, v_last);
            END IF;
            v_run := b.run_id;
            SELECT l.doubles INTO v_doubles FROM run_layouts l WHERE l.run_id = b.run_id;
            IF NOT FOUND THEN
                RAISE EXCEPTION 'backprop: there is no run % to append epochs to', b.run_id USING ERRCODE = 'ZB002';
            END IF;
            IF EXISTS (SELECT 1 FROM run_ended e WHERE e.run_id = b.run_id) THEN
                RAISE EXCEPTION 'backprop: run % has ended: no epochs can be appended to it', b.run_id USING ERRCODE = 'ZB001';
            END IF;
            IF NOT bp_holds_lease(b.run_id) THEN
                RAISE EXCEPTION 'backprop: run % is appended to only by the session holding its lease (epochs): ''backprop resume %'' takes it',
                    b.run_id, b.run_id USING ERRCODE = 'ZB003';
            END IF;
            SELECT coalesce(max(x.epoch) + 1, 0) INTO v_expected FROM epochs x WHERE x.run_id = b.run_id AND x.epoch < b.first;
        END IF;
        IF b.first <> v_expected OR b.block_first <> b.first OR b.last - b.first + 1 <> b.n THEN
            RAISE EXCEPTION 'backprop: run % expects epoch % next, not epochs % to % (stored as the block from epoch %)', b.run_id, v_expected,
                b.first, b.last, b.block_first USING ERRCODE = 'ZB002';
        END IF;
        -- Whole epochs: each holds as many doubles as the run's layout has (one-dimensional from 1: the table's checks).
        IF b.least <> v_doubles OR b.most <> v_doubles THEN
            RAISE EXCEPTION 'backprop: the epochs % to % of run % hold % to % doubles each where the run has %', b.first, b.last, b.run_id, b.least,
                b.most, v_doubles USING ERRCODE = 'ZB002';
        END IF;
        PERFORM bp_journal_append('epochs', b.run_id, 0, b.first, b.last, b.n::integer, b.block_hash);
        v_expected := b.last + 1;
        v_last := b.last;
    END LOOP;
    IF v_run IS NOT NULL THEN
        PERFORM bp_epochs_end_there(v_run, v_last);
    END IF;
    RETURN NULL;
END
$$;

-- Nothing of the run may lie beyond the epochs a statement stored (a block stored after a gap, earlier).
CREATE FUNCTION bp_epochs_end_there(p_run bigint, p_last integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM epochs x WHERE x.run_id = p_run AND x.epoch > p_last) THEN
        RAISE EXCEPTION 'backprop: run % has epochs stored after epoch %, which was to be its last', p_run, p_last USING ERRCODE = 'ZB002';
    END IF;
END
$$;

CREATE TRIGGER sweeps_are_journaled AFTER INSERT ON sweeps FOR EACH ROW EXECUTE FUNCTION bp_sweep_stored();
CREATE TRIGGER run_started_is_journaled AFTER INSERT ON run_started FOR EACH ROW EXECUTE FUNCTION bp_run_stored();
CREATE TRIGGER run_ended_by_lease_holder BEFORE INSERT ON run_ended FOR EACH ROW EXECUTE FUNCTION bp_run_ending();
CREATE TRIGGER run_ended_is_journaled AFTER INSERT ON run_ended FOR EACH ROW EXECUTE FUNCTION bp_run_ended();
CREATE TRIGGER epochs_follow_on_and_are_journaled AFTER INSERT ON epochs REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION bp_epochs_stored();
CREATE TRIGGER journal_is_written_by_the_store BEFORE INSERT ON journal FOR EACH ROW EXECUTE FUNCTION bp_journal_guard();
CREATE TRIGGER store_identity_stays_one BEFORE INSERT ON store_identity FOR EACH STATEMENT EXECUTE FUNCTION bp_refuse_change();

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['store_identity', 'sweeps', 'run_started', 'run_layouts', 'run_parameters', 'run_units', 'epochs', 'run_ended',
                             'planned_runs', 'journal'] LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH STATEMENT EXECUTE FUNCTION bp_refuse_change()',
                       t || '_is_append_only', t);
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION bp_refuse_change()',
                       t || '_is_never_truncated', t);
    END LOOP;
END
$$;

GRANT EXECUTE ON FUNCTION bp_lease_key(), bp_holds_lease(bigint), bp_leased_runs() TO backprop_app, backprop_reader;
