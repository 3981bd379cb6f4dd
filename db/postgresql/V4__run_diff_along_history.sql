-- Schema 4: run_diff(a, b) lines a fork up along its history, as the diff command and H2's run_diff do: when the two
-- runs' histories share recorded epochs (one is a fork of the other, or both of a common ancestor), row n compares
-- history epoch n of each (a fork's epoch j being history epoch k + j, its ancestors' epochs read where they were
-- recorded); run_diff(a, b, FALSE) compares each run's own epochs from 0. Row n of a history of n epochs compares the
-- weights after the last update and has no loss.
DROP FUNCTION run_diff(bigint, bigint);

-- A run's history as stretches of recorded runs, oldest first (see events.RunHistory.segments): each run of its chain
-- and how many of its epochs the history takes (the run's own, then each parent's up to the fork), stretches without
-- epochs left out, and where each starts in the history.
CREATE FUNCTION bp_history(p_run bigint, OUT runs bigint[], OUT starts integer[], OUT lengths integer[])
LANGUAGE sql STABLE AS $$
    WITH RECURSIVE chain(depth, run_id, cnt, parent, fork) AS (
        SELECT 0, s.run_id,
               coalesce((SELECT x.epoch + 1 FROM epochs x WHERE x.run_id = s.run_id ORDER BY x.epoch DESC LIMIT 1), 0),
               s.parent_run_id, s.fork_epoch
        FROM run_started s WHERE s.run_id = p_run
        UNION ALL
        SELECT c.depth + 1, p.run_id, c.fork, p.parent_run_id, p.fork_epoch
        FROM chain c JOIN run_started p ON p.run_id = c.parent
    ), stretches AS (
        SELECT depth, run_id, cnt,
               coalesce(sum(cnt) OVER (ORDER BY depth DESC ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)::integer AS start
        FROM chain
    )
    SELECT coalesce(array_agg(run_id ORDER BY depth DESC), '{}'), coalesce(array_agg(start ORDER BY depth DESC), '{}'),
           coalesce(array_agg(cnt ORDER BY depth DESC), '{}')
    FROM stretches WHERE cnt > 0
$$;

-- The history epoch of a run's own epoch 0: the epochs its ancestors recorded before each fork point.
CREATE FUNCTION bp_history_start(p_run bigint) RETURNS integer LANGUAGE sql STABLE AS $$
    WITH RECURSIVE up(parent, fork) AS (
        SELECT s.parent_run_id, s.fork_epoch FROM run_started s WHERE s.run_id = p_run
        UNION ALL
        SELECT p.parent_run_id, p.fork_epoch FROM up JOIN run_started p ON p.run_id = up.parent
    )
    SELECT coalesce(sum(fork), 0)::integer FROM up
$$;

CREATE FUNCTION run_diff(a bigint, b bigint, align boolean DEFAULT TRUE)
RETURNS TABLE (epoch integer, loss_a float8, loss_b float8, loss_difference float8, max_weight_difference float8, weights_equal boolean)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    la run_layouts;
    lb run_layouts;
    count_a integer;
    count_b integer;
    rows_a integer;
    rows_b integer;
    after_a float8[];
    after_b float8[];
    runs_a bigint[];
    starts_a integer[];
    lengths_a integer[];
    runs_b bigint[];
    starts_b integer[];
    lengths_b integer[];
    shared integer := 0;
    i integer;
BEGIN
    IF a IS NULL OR b IS NULL THEN
        RETURN;
    END IF;
    SELECT * INTO la FROM run_layouts WHERE run_id = a;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'there is no run %: the runs view lists them', a USING ERRCODE = 'P0002';
    END IF;
    SELECT * INTO lb FROM run_layouts WHERE run_id = b;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'there is no run %: the runs view lists them', b USING ERRCODE = 'P0002';
    END IF;
    count_a := coalesce((SELECT x.epoch + 1 FROM epochs x WHERE x.run_id = a ORDER BY x.epoch DESC LIMIT 1), 0);
    count_b := coalesce((SELECT x.epoch + 1 FROM epochs x WHERE x.run_id = b ORDER BY x.epoch DESC LIMIT 1), 0);
    after_a := bp_parameters_after(a);
    after_b := bp_parameters_after(b);
    SELECT h.runs, h.starts, h.lengths INTO runs_a, starts_a, lengths_a FROM bp_history(a) h;
    SELECT h.runs, h.starts, h.lengths INTO runs_b, starts_b, lengths_b FROM bp_history(b) h;
    -- How many history epochs both read from the same recorded epochs, from the start (RunHistory.sharedEpochs).
    IF align IS DISTINCT FROM FALSE THEN
        FOR i IN 1 .. least(cardinality(runs_a), cardinality(runs_b)) LOOP
            EXIT WHEN runs_a[i] <> runs_b[i] OR starts_a[i] <> starts_b[i];
            shared := starts_a[i] + least(lengths_a[i], lengths_b[i]);
            EXIT WHEN lengths_a[i] <> lengths_b[i];
        END LOOP;
    END IF;
    IF shared > 0 THEN
        -- A fork with no epochs of its own still starts after its history's epochs: its weights are the fork point's.
        rows_a := bp_history_start(a) + count_a;
        rows_b := bp_history_start(b) + count_b;
    ELSE
        runs_a := ARRAY[a];
        starts_a := ARRAY[0];
        lengths_a := ARRAY[count_a];
        runs_b := ARRAY[b];
        starts_b := ARRAY[0];
        lengths_b := ARRAY[count_b];
        rows_a := count_a;
        rows_b := count_b;
    END IF;
    RETURN QUERY
    SELECT n.epoch, c.loss_a, c.loss_b, bp_sub(c.loss_b, c.loss_a),
           CASE WHEN c.both THEN (SELECT max(abs(bp_sub(x, y))) FROM unnest(c.pa, c.pb) AS u(x, y)) END,
           CASE WHEN c.both THEN (SELECT bool_and(bp_same(x, y)) FROM unnest(c.pa, c.pb) AS u(x, y)) END
    FROM generate_series(0, greatest(rows_a, rows_b)) AS n(epoch)
    LEFT JOIN LATERAL (SELECT x.vals FROM unnest(runs_a, starts_a, lengths_a) AS s(r, st, len)
                       JOIN epochs x ON x.run_id = s.r AND x.epoch = n.epoch - s.st
                       WHERE n.epoch < rows_a AND n.epoch >= s.st AND n.epoch < s.st + s.len) AS ea ON TRUE
    LEFT JOIN LATERAL (SELECT x.vals FROM unnest(runs_b, starts_b, lengths_b) AS s(r, st, len)
                       JOIN epochs x ON x.run_id = s.r AND x.epoch = n.epoch - s.st
                       WHERE n.epoch < rows_b AND n.epoch >= s.st AND n.epoch < s.st + s.len) AS eb ON TRUE
    CROSS JOIN LATERAL (
        SELECT CASE WHEN n.epoch < rows_a THEN ea.vals[la.loss_at + 1] END AS loss_a,
               CASE WHEN n.epoch < rows_b THEN eb.vals[lb.loss_at + 1] END AS loss_b,
               CASE WHEN n.epoch < rows_a THEN ea.vals[1 : la.parameters] WHEN n.epoch = rows_a THEN after_a END AS pa,
               CASE WHEN n.epoch < rows_b THEN eb.vals[1 : lb.parameters] WHEN n.epoch = rows_b THEN after_b END AS pb,
               n.epoch <= rows_a AND n.epoch <= rows_b AND la.weights = lb.weights AND la.biases = lb.biases AS both
    ) AS c
    ORDER BY n.epoch;
END
$$;

GRANT EXECUTE ON FUNCTION bp_history(bigint), bp_history_start(bigint), run_diff(bigint, bigint, boolean) TO backprop_app, backprop_reader;
