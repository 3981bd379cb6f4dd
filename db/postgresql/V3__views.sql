-- Schema 3: the public views, with the names, columns and values of an H2 store's, as plain views over the epochs'
-- float8[], so that conditions on run_id and epoch reach the primary key of epochs. Values that follow from stored
-- ones are derived as the trainer derives them, in Java's double arithmetic: PostgreSQL raises an error where a
-- product overflows to an infinity or underflows to zero, and where a sum overflows, so those cases take the slow
-- path of the *_exact functions, which give what Java gives.

CREATE FUNCTION bp_mul_exact(a float8, b float8) RETURNS float8 LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
    RETURN a * b;
EXCEPTION WHEN numeric_value_out_of_range THEN
    -- Both are finite and not zero here: the product overflowed when it is at least 1, else it underflowed.
    IF ln(abs(a)) + ln(abs(b)) > 0 THEN
        RETURN CASE WHEN (a < 0) <> (b < 0) THEN '-Infinity'::float8 ELSE 'Infinity'::float8 END;
    END IF;
    RETURN CASE WHEN (a < 0) <> (b < 0) THEN '-0'::float8 ELSE '0'::float8 END;
END
$$;

CREATE FUNCTION bp_add_exact(a float8, b float8) RETURNS float8 LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
    RETURN a + b;
EXCEPTION WHEN numeric_value_out_of_range THEN
    -- Both are finite and large: halved, their sum cannot overflow, and it has the sign of the infinite one.
    RETURN CASE WHEN a / 2 + b / 2 > 0 THEN 'Infinity'::float8 ELSE '-Infinity'::float8 END;
END
$$;

-- a·b, a + b and a − b as Java computes them. The comparisons are false for NaN (PostgreSQL orders it above every
-- number) and for infinities, which take the exact path too; zero never fails. Not STRICT, so that PostgreSQL
-- inlines them into the views' expressions (a null goes to the exact path, which is strict, and gives null).
CREATE FUNCTION bp_mul(a float8, b float8) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN a = 0 OR b = 0 OR (abs(a) BETWEEN 1e-150 AND 1e150 AND abs(b) BETWEEN 1e-150 AND 1e150) THEN a * b
                ELSE bp_mul_exact(a, b) END
$$;

CREATE FUNCTION bp_add(a float8, b float8) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN abs(a) < 1e307 AND abs(b) < 1e307 THEN a + b ELSE bp_add_exact(a, b) END
$$;

CREATE FUNCTION bp_sub(a float8, b float8) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN abs(a) < 1e307 AND abs(b) < 1e307 THEN a - b ELSE bp_add_exact(a, -b) END
$$;

-- model.Loss.outputError: d = target − actual, then 0.5·d·d; where neither can fail, written out so that it inlines.
CREATE FUNCTION bp_output_error_exact(target float8, actual float8) RETURNS float8 LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    d float8 := bp_sub(target, actual);
BEGIN
    RETURN bp_mul(bp_mul(0.5, d), d);
END
$$;

CREATE FUNCTION bp_output_error(target float8, actual float8) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN abs(target) < 1e150 AND abs(actual) < 1e150 AND (target = actual OR abs(target - actual) >= 1e-150)
                THEN 0.5 * (target - actual) * (target - actual)
                ELSE bp_output_error_exact(target, actual) END
$$;

-- model.Backprop.step (−η·gradient), or 0 for a bias that is not trained; and before plus it, as EpochRecorded.after and
-- weight_updates.after add it. Written out rather than as bp_add(before, bp_step(...)): PostgreSQL inlines a function
-- only when an argument used twice is cheap, so here every argument is a column and the step is computed where used.
CREATE FUNCTION bp_step(rate float8, gradient float8, trained boolean) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN trained THEN -bp_mul(rate, gradient) ELSE 0::float8 END
$$;

CREATE FUNCTION bp_stepped(before float8, rate float8, gradient float8, trained boolean) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN abs(before) < 1e307 AND abs(bp_step(rate, gradient, trained)) < 1e307 THEN before + bp_step(rate, gradient, trained)
                ELSE bp_add_exact(before, bp_step(rate, gradient, trained)) END
$$;

-- Java's Double.equals: bit for bit, so -0 is not 0 (PostgreSQL's = says it is) and NaN is NaN.
CREATE FUNCTION bp_same(a float8, b float8) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN a = 0 THEN float8send(a) = float8send(b) ELSE a = b END
$$;

CREATE VIEW runs AS
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
       CASE WHEN e.status = 'failed' THEN e.epoch END AS failed_epoch
FROM run_started s LEFT JOIN run_ended e ON e.run_id = s.run_id;

-- The views that give a row per value unnest slices of each epoch's array in their select list, in step with a counter
-- (set-returning functions there stream, where in FROM they would be collected first), and name the values by a
-- LEFT JOIN on that counter, which PostgreSQL leaves out when a query uses none of the names (an aggregate, say).

-- Layer 0 has the inputs as activations and null net_input and delta; then every non-input neuron, sample by sample.
CREATE VIEW forward_values AS
SELECT x.run_id, x.epoch, x.sample, u.layer, u.neuron, x.net_input, x.activation, x.delta
FROM (SELECT e.run_id, e.epoch, m.sample, generate_series(1, l.inputs + l.neurons) AS unit,
             unnest(array_fill(NULL::float8, ARRAY[l.inputs])
                    || e.vals[l.net_at + (m.sample - 1) * l.neurons + 1 : l.net_at + m.sample * l.neurons]) AS net_input,
             unnest(s.inputs[(m.sample - 1) * l.inputs + 1 : m.sample * l.inputs]
                    || e.vals[l.act_at + (m.sample - 1) * l.neurons + 1 : l.act_at + m.sample * l.neurons]) AS activation,
             unnest(array_fill(NULL::float8, ARRAY[l.inputs])
                    || e.vals[l.delta_at + (m.sample - 1) * l.neurons + 1 : l.delta_at + m.sample * l.neurons]) AS delta
      FROM epochs e
      JOIN run_layouts l ON l.run_id = e.run_id
      JOIN run_started s ON s.run_id = e.run_id
      CROSS JOIN LATERAL generate_series(1, l.samples) AS m(sample)) AS x
LEFT JOIN run_units u ON u.run_id = x.run_id AND u.unit = x.unit;

-- error = ½(target − actual)², as model.Loss.outputError computes it.
CREATE VIEW losses AS
SELECT x.run_id, x.epoch, x.sample, x.output, x.target, x.actual, bp_output_error(x.target, x.actual) AS error
FROM (SELECT e.run_id, e.epoch, m.sample, generate_series(1, l.outputs) AS output,
             unnest(s.targets[(m.sample - 1) * l.outputs + 1 : m.sample * l.outputs]) AS target,
             unnest(e.vals[l.act_at + (m.sample - 1) * l.neurons + l.output_offset + 1
                           : l.act_at + (m.sample - 1) * l.neurons + l.output_offset + l.outputs]) AS actual
      FROM epochs e
      JOIN run_layouts l ON l.run_id = e.run_id
      JOIN run_started s ON s.run_id = e.run_id
      CROSS JOIN LATERAL generate_series(1, l.samples) AS m(sample)) AS x;

CREATE VIEW epoch_losses AS
SELECT e.run_id, e.epoch, e.vals[l.loss_at + 1] AS total_error
FROM epochs e JOIN run_layouts l ON l.run_id = e.run_id;

CREATE VIEW gradients AS
SELECT x.run_id, x.epoch, p.weight::text AS weight, p.layer, p.from_neuron, p.to_neuron, x.gradient
FROM (SELECT e.run_id, e.epoch, generate_series(1, l.parameters) AS k, unnest(e.vals[l.grad_at + 1 : l.grad_at + l.parameters]) AS gradient
      FROM epochs e JOIN run_layouts l ON l.run_id = e.run_id) AS x
LEFT JOIN run_parameters p ON p.run_id = x.run_id AND p.k = x.k;

-- delta = −η·gradient (model.Backprop.step), 0 for a bias that is not trained; after = before + delta.
CREATE VIEW weight_updates AS
SELECT x.run_id, x.epoch, p.weight::text AS weight, x.before, bp_step(x.learning_rate, x.gradient, x.k <= x.weights OR x.train_biases) AS delta,
       bp_stepped(x.before, x.learning_rate, x.gradient, x.k <= x.weights OR x.train_biases) AS after
FROM (SELECT e.run_id, e.epoch, l.weights, s.train_biases, s.learning_rate, generate_series(1, l.parameters) AS k,
             unnest(e.vals[1 : l.parameters]) AS before, unnest(e.vals[l.grad_at + 1 : l.grad_at + l.parameters]) AS gradient
      FROM epochs e JOIN run_layouts l ON l.run_id = e.run_id JOIN run_started s ON s.run_id = e.run_id) AS x
LEFT JOIN run_parameters p ON p.run_id = x.run_id AND p.k = x.k;

-- The seed tutorial's spreadsheet row, for 2-2-2 runs of one sample without biases, whose layout is fixed: weights
-- 1..8, net inputs 9..12 (h1, h2, o1, o2), activations 13..16, deltas 17..20, gradients 21..28, loss 29.
CREATE VIEW epoch_sheet AS
SELECT e.run_id, e.epoch, s.learning_rate, s.targets[1] AS t1, s.targets[2] AS t2, s.inputs[1] AS i1, s.inputs[2] AS i2,
       e.vals[1] AS w1, e.vals[2] AS w2, e.vals[3] AS w3, e.vals[4] AS w4,
       e.vals[9] AS h1, e.vals[13] AS a_h1, e.vals[10] AS h2, e.vals[14] AS a_h2,
       e.vals[5] AS w5, e.vals[6] AS w6, e.vals[7] AS w7, e.vals[8] AS w8,
       e.vals[11] AS o1, e.vals[15] AS a_o1, e.vals[12] AS o2, e.vals[16] AS a_o2,
       bp_output_error(s.targets[1], e.vals[15]) AS e1, bp_output_error(s.targets[2], e.vals[16]) AS e2, e.vals[29] AS e_tot,
       e.vals[21] AS de_dw1, e.vals[22] AS de_dw2, e.vals[23] AS de_dw3, e.vals[24] AS de_dw4,
       e.vals[25] AS de_dw5, e.vals[26] AS de_dw6, e.vals[27] AS de_dw7, e.vals[28] AS de_dw8
FROM epochs e
JOIN run_layouts l ON l.run_id = e.run_id AND l.seed_shaped
JOIN run_started s ON s.run_id = e.run_id;

-- The parameters in force after a run's last update (model.EpochRecorded.after), or its initial ones before any epoch.
CREATE FUNCTION bp_parameters_after(p_run bigint) RETURNS float8[] LANGUAGE sql STABLE AS $$
    SELECT coalesce(
        (SELECT array_agg(CASE WHEN p.k <= p.weights OR p.train_biases THEN bp_stepped(p.before, p.learning_rate, p.gradient, true)
                               ELSE p.before END ORDER BY p.k)
         FROM (SELECT l.weights, s.train_biases, s.learning_rate, generate_series(1, l.parameters) AS k,
                      unnest(last.vals[1 : l.parameters]) AS before, unnest(last.vals[l.grad_at + 1 : l.grad_at + l.parameters]) AS gradient
               FROM (SELECT x.vals FROM epochs x WHERE x.run_id = p_run ORDER BY x.epoch DESC LIMIT 1) AS last
               CROSS JOIN run_layouts l
               CROSS JOIN run_started s
               WHERE l.run_id = p_run AND s.run_id = p_run) AS p),
        (SELECT s.initial_parameters FROM run_started s WHERE s.run_id = p_run))
$$;

-- run_diff(a, b): one row per epoch 0..max(epochs of a, epochs of b), comparing the weights in force at the start of
-- each epoch (row n of a run of n epochs: after its last update, with no loss) and the losses, as the diff command does.
CREATE FUNCTION run_diff(a bigint, b bigint)
RETURNS TABLE (epoch integer, loss_a float8, loss_b float8, loss_difference float8, max_weight_difference float8, weights_equal boolean)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    la run_layouts;
    lb run_layouts;
    count_a integer;
    count_b integer;
    after_a float8[];
    after_b float8[];
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
    RETURN QUERY
    SELECT n.epoch, c.loss_a, c.loss_b, bp_sub(c.loss_b, c.loss_a),
           CASE WHEN c.both THEN (SELECT max(abs(bp_sub(x, y))) FROM unnest(c.pa, c.pb) AS u(x, y)) END,
           CASE WHEN c.both THEN (SELECT bool_and(bp_same(x, y)) FROM unnest(c.pa, c.pb) AS u(x, y)) END
    FROM generate_series(0, greatest(count_a, count_b)) AS n(epoch)
    LEFT JOIN epochs ea ON ea.run_id = a AND ea.epoch = n.epoch
    LEFT JOIN epochs eb ON eb.run_id = b AND eb.epoch = n.epoch
    CROSS JOIN LATERAL (
        SELECT CASE WHEN n.epoch < count_a THEN ea.vals[la.loss_at + 1] END AS loss_a,
               CASE WHEN n.epoch < count_b THEN eb.vals[lb.loss_at + 1] END AS loss_b,
               CASE WHEN n.epoch < count_a THEN ea.vals[1 : la.parameters] WHEN n.epoch = count_a THEN after_a END AS pa,
               CASE WHEN n.epoch < count_b THEN eb.vals[1 : lb.parameters] WHEN n.epoch = count_b THEN after_b END AS pb,
               n.epoch <= count_a AND n.epoch <= count_b AND la.weights = lb.weights AND la.biases = lb.biases AS both
    ) AS c
    ORDER BY n.epoch;
END
$$;

GRANT SELECT ON runs, forward_values, losses, epoch_losses, gradients, weight_updates, epoch_sheet TO backprop_app, backprop_reader;
GRANT EXECUTE ON FUNCTION bp_mul_exact(float8, float8), bp_add_exact(float8, float8), bp_mul(float8, float8), bp_add(float8, float8),
    bp_sub(float8, float8), bp_output_error_exact(float8, float8), bp_output_error(float8, float8), bp_step(float8, float8, boolean), bp_stepped(float8, float8, float8, boolean),
    bp_same(float8, float8), bp_parameters_after(bigint), run_diff(bigint, bigint)
    TO backprop_app, backprop_reader;
