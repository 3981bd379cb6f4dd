package org.backprop.store.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A seeded generator of queries over the views of {@link ViewFixture}'s store: random predicates on run_id, epoch and
 * the key columns (comparisons with constants of several types, BETWEEN, IN, IS NULL, NOT, AND, OR, subqueries on
 * runs and on other views, correlated or not), random orders (several keys, mixed directions, NULLS FIRST/LAST),
 * LIMIT, OFFSET and FETCH, aggregates with and without GROUP BY, window functions, DISTINCT, joins between views and
 * with runs, and set operations. Each query comes with the checks that SQLancer makes:
 * <ul>
 * <li>{@link Query#unindexed}: the same query with every key column in WHERE and ORDER BY wrapped in an expression
 * ({@code run_id + 0}, {@code SUBSTRING(weight, 1)}) that no index can serve, so H2 reads every row and filters and
 * sorts itself (NoREC's unoptimised rewrite);</li>
 * <li>{@link Query#partitions}: for a predicate p, the rows of the query without p are the rows where p is true,
 * false and unknown (ternary logic partitioning);</li>
 * <li>{@link Query#count} and {@link Query#countUnindexed}: {@code COUNT(*) WHERE p} against
 * {@code SUM(CASE WHEN p THEN 1 ELSE 0 END)} over every row (NoREC).</li>
 * </ul>
 */
final class RandomQueries {
    /** One generated query and its rewrites; null where a check does not apply. */
    record Query(String sql, boolean ordered, String unindexed, String whole, List<String> partitions, String count, String countUnindexed) {
    }

    /** A column of a view: its SQL name, whether it is a key column (indexed), and how to make constants for it. */
    private record Col(String name, boolean key, boolean text, Function<SplittableRandom, String> constant) {
    }

    private record View(String name, List<Col> keys, List<Col> values) {
        List<Col> all() {
            List<Col> all = new ArrayList<>(keys);
            all.addAll(values);
            return all;
        }

        /** The columns that tell the view's rows apart. */
        List<Col> unique() {
            return switch (name) {
                case "gradients", "weight_updates" -> keys.subList(0, 3);
                default -> keys;
            };
        }
    }

    private static final String[] WEIGHTS = {"w1", "w2", "w3", "w5", "w8", "w9", "w12", "w13", "w20", "w21", "w100", "w17159", "w17160",
        "w17161", "b1", "b2", "b3", "b5", "b6", "b7", "b133", "b134", "b135", "x", "W1", "w01", ""};
    private static final String[] NAMES = {"seed", "biased", "deep", "cut-short", "seed-at20", "too-fast", "parts", "nothing"};
    private static final String[] STATUSES = {"completed", "failed", "interrupted", "running"};

    private static Col key(String name, Function<SplittableRandom, String> constant) {
        return new Col(name, true, false, constant);
    }

    private static Col value(String name) {
        return new Col(name, false, false, r -> pick(r, "0", "0.5", "-0.25", "0.01", "1e300", "-1e300", "CAST(NULL AS DOUBLE)"));
    }

    private static final Col RUN = key("run_id", r -> r.nextInt(10) == 0 ? pick(r, "2.0", "1.5", "-1", "0", "8", "CAST(3 AS SMALLINT)", "9223372036854775807")
            : Integer.toString(1 + r.nextInt(7)));
    private static final Col EPOCH = key("epoch", r -> r.nextInt(10) == 0 ? pick(r, "2.5", "1e10", "-1e300", "'7'", "-1", "2147483647", "4.0E0")
            : Integer.toString(r.nextInt(r.nextBoolean() ? 8 : 65)));

    private static Col small(String name, int max) {
        return key(name, r -> r.nextInt(12) == 0 ? pick(r, "1.5", "-1", "128", "130", "131", "2147483648") : Integer.toString(r.nextInt(max + 2)));
    }

    private static final Col WEIGHT = new Col("weight", true, true, r -> "'" + pick(r, WEIGHTS) + "'");

    private static final List<View> VIEWS = List.of(
            new View("forward_values", List.of(RUN, EPOCH, small("sample", 4), small("layer", 3), small("neuron", 4)),
                    List.of(value("net_input"), value("activation"), value("delta"))),
            new View("losses", List.of(RUN, EPOCH, small("sample", 4), small("output", 2)), List.of(value("target"), value("actual"), value("error"))),
            new View("epoch_losses", List.of(RUN, EPOCH), List.of(value("total_error"))),
            new View("gradients", List.of(RUN, EPOCH, WEIGHT, small("layer", 3), small("from_neuron", 4), small("to_neuron", 4)),
                    List.of(value("gradient"))),
            new View("weight_updates", List.of(RUN, EPOCH, WEIGHT), List.of(value("before"), value("delta"), value("after"))),
            new View("epoch_sheet", List.of(RUN, EPOCH), List.of(value("e_tot"), value("w1"), value("de_dw5"), value("a_o1"))));

    private final SplittableRandom random;

    RandomQueries(long seed) {
        this.random = new SplittableRandom(seed);
    }

    Query next() {
        return switch (random.nextInt(20)) {
            case 0, 1, 2 -> aggregate();
            case 3 -> window();
            case 4, 5 -> join();
            case 6 -> withRuns();
            case 7 -> setOperation();
            case 8 -> distinct();
            case 9, 10, 11, 12, 13 -> orderedScan();
            default -> rows();
        };
    }

    /**
     * The shape an index serves in order: conditions on run_id and epoch only, ordered by the view's key columns in
     * their own order, each either way (run_id DESC, epoch ASC, ...), often cut by LIMIT and OFFSET.
     */
    private Query orderedScan() {
        View v = view();
        List<Col> unique = v.unique();
        String columns = unique.stream().map(c -> "t." + c.name).collect(Collectors.joining(", ")) + ", t." + pick(v.values).name;
        String select = "SELECT " + columns + " FROM " + v.name + " t";
        List<Pred> conditions = new ArrayList<>();
        for (int i = 0, n = random.nextInt(3); i < n; i++) {
            conditions.add(atom(v, "t", pick(List.of(RUN, EPOCH))));
        }
        Pred where = conditions.stream().reduce(RandomQueries::and).orElse(u -> "TRUE");
        List<String> keys = new ArrayList<>();
        List<Col> order = new ArrayList<>(unique);
        if (random.nextInt(5) == 0) {
            // Epoch first: no index gives that order, so H2 must sort, whatever index reads.
            order.set(0, EPOCH);
            order.set(1, RUN);
        }
        for (Col c : order) {
            keys.add("t." + c.name + direction());
        }
        String orderBy = String.join(", ", keys);
        String limit = random.nextInt(3) == 0 ? "" : limit();
        return new Query(select + " WHERE " + where.sql(false) + order(orderBy, false) + limit, true,
                select + " WHERE " + where.sql(true) + order(orderBy(orderBy), true) + limit, null, null, null, null);
    }

    /** Rows of one view: its unique columns and a value or two, a predicate, maybe an order and a limit. */
    private Query rows() {
        View v = view();
        List<Col> selected = new ArrayList<>(v.unique());
        selected.add(pick(v.values));
        if (random.nextBoolean()) {
            selected.add(pick(v.all()));
        }
        String select = "SELECT " + selected.stream().map(c -> "t." + c.name).collect(Collectors.joining(", ")) + " FROM " + v.name + " t";
        // Often one condition or none, so that several runs and many epochs are left to order and to cut.
        Pred p = random.nextInt(4) == 0 ? u -> "TRUE" : predicate(v, "t", random.nextInt(4));
        Pred base = random.nextInt(3) != 0 ? null : predicate(v, "t", 1);
        Pred where = base == null ? p : and(base, p);
        boolean ordered = random.nextInt(3) != 0;
        String limit = ordered && random.nextBoolean() ? limit() : "";
        String order = ordered ? orderBy(v, "t", true) : null;
        String sql = select + " WHERE " + where.sql(false) + (ordered ? order(order, false) + limit : "");
        String unindexed = select + " WHERE " + where.sql(true) + (ordered ? order(orderBy(order), true) + limit : "");
        List<String> partitions = null;
        String whole = null;
        if (limit.isEmpty()) {
            String in = base == null ? "" : base.sql(false) + " AND ";
            whole = select + (base == null ? "" : " WHERE " + base.sql(false));
            partitions = List.of(select + " WHERE " + in + "(" + p.sql(false) + ")", select + " WHERE " + in + "NOT (" + p.sql(false) + ")",
                    select + " WHERE " + in + "(" + p.sql(false) + ") IS NULL");
        }
        return new Query(sql, ordered, unindexed, whole, partitions, "SELECT COUNT(*) FROM " + v.name + " t WHERE " + where.sql(false),
                "SELECT COALESCE(SUM(CASE WHEN " + where.sql(false) + " THEN 1 ELSE 0 END), 0) FROM " + v.name + " t");
    }

    private Query aggregate() {
        View v = view();
        Col c = pick(v.all());
        String aggregates = pick("COUNT(*)", "COUNT(t." + c.name + ")", "MIN(t." + c.name + ")", "MAX(t." + c.name + ")",
                c.text ? "MAX(t.epoch)" : "SUM(t." + c.name + ")") + ", " + pick("MAX(t.epoch)", "MIN(t.run_id)", "COUNT(*)");
        List<String> groups = switch (random.nextInt(4)) {
            case 0 -> List.of();
            case 1 -> List.of("t.run_id");
            case 2 -> List.of("t.run_id", "t.epoch");
            default -> List.of("t." + pick(v.keys).name);
        };
        String keys = groups.isEmpty() ? "" : String.join(", ", groups) + ", ";
        Pred p = predicate(v, "t", 3);
        String tail = groups.isEmpty() ? "" : " GROUP BY " + String.join(", ", groups) + " ORDER BY "
                + groups.stream().map(g -> g + direction()).collect(Collectors.joining(", "));
        String from = " FROM " + v.name + " t WHERE ";
        String sql = "SELECT " + keys + aggregates + from + p.sql(false) + tail;
        String wrappedTail = groups.isEmpty() ? "" : tail.replace(" ORDER BY ", " ORDER BY ");
        return new Query(sql, !groups.isEmpty(), "SELECT " + keys + aggregates + from + p.sql(true) + wrappedTail, null, null, null, null);
    }

    private Query window() {
        View v = view();
        String order = orderBy(v, "t", true);
        String function = pick("ROW_NUMBER() OVER (PARTITION BY t.run_id ORDER BY " + order + ")",
                "RANK() OVER (ORDER BY " + order + ")",
                "COUNT(*) OVER (PARTITION BY t.run_id, t.epoch)",
                "LAG(t.epoch) OVER (PARTITION BY t.run_id ORDER BY " + order + ")");
        List<Col> unique = v.unique();
        String columns = unique.stream().map(c -> "t." + c.name).collect(Collectors.joining(", "));
        Pred p = predicate(v, "t", 2);
        String outer = orderBy(v, "t", true);
        String sql = "SELECT " + columns + ", " + function + " FROM " + v.name + " t WHERE " + p.sql(false) + order(outer, false);
        return new Query(sql, true, "SELECT " + columns + ", " + function + " FROM " + v.name + " t WHERE " + p.sql(true) + order(orderBy(outer), true),
                null, null, null, null);
    }

    private Query distinct() {
        View v = view();
        Col c = pick(List.of(RUN, EPOCH, pick(v.keys)));
        Pred p = predicate(v, "t", 3);
        String d = direction();
        String sql = "SELECT DISTINCT t." + c.name + " FROM " + v.name + " t WHERE " + p.sql(false) + " ORDER BY t." + c.name + d;
        return new Query(sql, true, "SELECT DISTINCT t." + c.name + " FROM " + v.name + " t WHERE " + p.sql(true) + " ORDER BY t." + c.name + d,
                null, null, null, null);
    }

    /** Two views joined on run and epoch (and on the weight where both have one). */
    private Query join() {
        View a = view();
        View b = pick(VIEWS);
        String on = "b.run_id = a.run_id AND b.epoch = a.epoch";
        boolean oneToOne = a.keys.contains(WEIGHT) && b.keys.contains(WEIGHT);
        if (oneToOne) {
            on += " AND b.weight = a.weight";
        } else if (random.nextInt(3) == 0 && perEpoch(b) == 1) {
            // Join on the run only, against a view of one row per epoch: one epoch of it for every row of a.
            on = "b.run_id = a.run_id AND b.epoch = " + EPOCH.constant.apply(random);
        }
        String kind = random.nextInt(5) == 0 ? " LEFT JOIN " : " JOIN ";
        // Two views of many rows per epoch joined by epoch make a row for every pair: kept to the small runs.
        boolean pairs = !oneToOne && perEpoch(a) > 1 && perEpoch(b) > 1;
        String small = "(" + (1 + random.nextInt(5)) + ", " + (1 + random.nextInt(5)) + ")";
        Pred runs = pairs ? u -> column("a", RUN, u) + " IN " + small : restrictToSmallRuns(a, "a");
        Pred pa = and(runs, predicate(a, "a", 2));
        Pred pb = random.nextBoolean() ? null : predicate(b, "b", 1);
        Pred where = pb == null || kind.equals(" LEFT JOIN ") ? pa : and(pa, pb);
        Col value = pick(b.values);
        String columns = a.unique().stream().map(c -> "a." + c.name).collect(Collectors.joining(", ")) + ", b." + value.name + ", b.epoch";
        String order = orderBy(a, "a", true) + ", b." + value.name + direction() + ", b.epoch" + direction()
                + b.unique().stream().skip(2).map(c -> ", b." + c.name + direction()).collect(Collectors.joining());
        boolean ordered = random.nextBoolean();
        String limit = ordered && random.nextBoolean() ? limit() : "";
        String from = " FROM " + a.name + " a" + kind + b.name + " b ON " + on + " WHERE ";
        return new Query("SELECT " + columns + from + where.sql(false) + (ordered ? order(order, false) + limit : ""), ordered,
                "SELECT " + columns + from + where.sql(true) + (ordered ? order(orderBy(order), true) + limit : ""), null, null, null, null);
    }

    private static int perEpoch(View v) {
        return v.unique().size() > 2 ? 2 : 1;
    }

    /** A view joined with runs, runs first or second, on the run's name, status or id. */
    private Query withRuns() {
        View v = view();
        String condition = pick("r.name IN ('" + pick(NAMES) + "', '" + pick(NAMES) + "')", "r.status = '" + pick(STATUSES) + "'",
                "r.epochs_recorded < " + random.nextInt(70), "r.parent_run_id IS NOT NULL", "r.run_id = " + RUN.constant.apply(random),
                "r.name = '" + pick(NAMES) + "'");
        Pred p = and(restrictToSmallRuns(v, "t"), predicate(v, "t", 2));
        String columns = v.unique().stream().map(c -> "t." + c.name).collect(Collectors.joining(", ")) + ", r.name, r.status";
        String from = random.nextBoolean() ? " FROM runs r JOIN " + v.name + " t ON t.run_id = r.run_id" : " FROM " + v.name + " t JOIN runs r ON r.run_id = t.run_id";
        String order = orderBy(v, "t", true);
        boolean ordered = random.nextBoolean();
        String limit = ordered && random.nextBoolean() ? limit() : "";
        return new Query("SELECT " + columns + from + " WHERE " + condition + " AND " + p.sql(false) + (ordered ? order(order, false) + limit : ""),
                ordered, "SELECT " + columns + from + " WHERE " + condition + " AND " + p.sql(true) + (ordered ? order(orderBy(order), true) + limit : ""),
                null, null, null, null);
    }

    private Query setOperation() {
        View a = view();
        View b = view();
        Pred pa = predicate(a, "t", 2);
        Pred pb = predicate(b, "t", 2);
        String op = pick(" UNION ", " UNION ALL ", " EXCEPT ", " INTERSECT ");
        String order = " ORDER BY 1" + direction() + ", 2" + direction();
        String sql = "SELECT t.run_id, t.epoch FROM " + a.name + " t WHERE " + pa.sql(false) + op + "SELECT t.run_id, t.epoch FROM " + b.name + " t WHERE "
                + pb.sql(false) + order;
        String unindexed = "SELECT t.run_id, t.epoch FROM " + a.name + " t WHERE " + pa.sql(true) + op + "SELECT t.run_id, t.epoch FROM " + b.name
                + " t WHERE " + pb.sql(true) + order;
        return new Query(sql, true, unindexed, null, null, null, null);
    }

    // Predicates ------------------------------------------------------------------------------------------------------

    /** A predicate, rendered as it is or with its key columns wrapped so that no index serves it. */
    private interface Pred {
        String sql(boolean unindexed);
    }

    private static Pred and(Pred a, Pred b) {
        return a == null ? b : u -> "(" + a.sql(u) + " AND " + b.sql(u) + ")";
    }

    private static String column(String alias, Col c, boolean unindexed) {
        String ref = alias + "." + c.name;
        // Not "weight || ''": H2 drops an empty string from a concatenation, and the index serves it again.
        return unindexed && c.key ? (c.text ? "SUBSTRING(" + ref + ", 1)" : "(" + ref + " + 0)") : ref;
    }

    /** Most joins stay off the runs whose epochs have thousands of rows (a lookup per row of those would be slow). */
    private Pred restrictToSmallRuns(View v, String alias) {
        if (random.nextInt(4) == 0) {
            return null;
        }
        String runs = random.nextBoolean() ? "(1, 2, 3)" : "(" + (1 + random.nextInt(6)) + ", " + (1 + random.nextInt(6)) + ")";
        return u -> column(alias, RUN, u) + " IN " + runs;
    }

    private Pred predicate(View v, String alias, int depth) {
        int choice = random.nextInt(depth <= 0 ? 10 : 16);
        if (choice < 10) {
            return atom(v, alias);
        }
        return switch (choice) {
            case 10, 11 -> {
                Pred a = predicate(v, alias, depth - 1);
                Pred b = predicate(v, alias, depth - 1);
                yield u -> "(" + a.sql(u) + " AND " + b.sql(u) + ")";
            }
            case 12, 13 -> {
                Pred a = predicate(v, alias, depth - 1);
                Pred b = predicate(v, alias, depth - 1);
                yield u -> "(" + a.sql(u) + " OR " + b.sql(u) + ")";
            }
            default -> {
                Pred a = predicate(v, alias, depth - 1);
                yield u -> "NOT (" + a.sql(u) + ")";
            }
        };
    }

    private Pred atom(View v, String alias) {
        return atom(v, alias, random.nextInt(4) == 0 ? pick(v.all()) : pick(v.keys));
    }

    private Pred atom(View v, String alias, Col c) {
        int kind = random.nextInt(20);
        String a = c.constant.apply(random);
        String b = c.constant.apply(random);
        // Ranges mostly the right way round, so that most select something; the rest are empty on purpose.
        boolean swap = random.nextInt(4) != 0 && number(a) != null && number(b) != null && number(a) > number(b);
        String k1 = swap ? b : a;
        String k2 = swap ? a : b;
        return switch (kind) {
            case 0, 1, 2, 3, 4, 5 -> {
                String op = pick("=", "=", "<>", "<", "<=", ">", ">=");
                yield u -> column(alias, c, u) + " " + op + " " + k1;
            }
            case 6 -> {
                String op = pick("=", "<", ">=");
                yield u -> k1 + " " + op + " " + column(alias, c, u);
            }
            case 7, 8 -> {
                String not = random.nextInt(3) == 0 ? " NOT" : "";
                yield u -> column(alias, c, u) + not + " BETWEEN " + k1 + " AND " + k2;
            }
            case 9, 10 -> {
                String not = random.nextInt(4) == 0 ? " NOT" : "";
                List<String> items = new ArrayList<>();
                for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
                    items.add(c.constant.apply(random));
                }
                yield u -> column(alias, c, u) + not + " IN (" + String.join(", ", items) + ")";
            }
            case 11 -> {
                String not = random.nextBoolean() ? " NOT" : "";
                yield u -> column(alias, c, u) + " IS" + not + " NULL";
            }
            case 12 -> {
                String q = "(SELECT run_id FROM runs WHERE name = '" + pick(NAMES) + "')";
                yield u -> column(alias, RUN, u) + " = " + q;
            }
            case 13 -> {
                String q = "(SELECT run_id FROM runs WHERE " + pick("status = '" + pick(STATUSES) + "'", "epochs_recorded > " + random.nextInt(60),
                        "name LIKE '%" + pick("e", "s", "-") + "%'") + ")";
                String not = random.nextInt(4) == 0 ? " NOT" : "";
                yield u -> column(alias, RUN, u) + not + " IN " + q;
            }
            case 14 -> {
                // Correlated: evaluated once per row, so kept off the run whose epochs have thousands of rows.
                String q = "(SELECT MAX(m.epoch) FROM epoch_losses m WHERE m.run_id = " + alias + ".run_id" + pick("", " AND m.epoch < 9") + ")";
                String op = pick("=", "<", ">=");
                yield u -> "(" + column(alias, RUN, u) + " < 7 AND " + column(alias, EPOCH, u) + " " + op + " " + q + ")";
            }
            case 15 -> {
                String q = "(SELECT " + pick("COUNT(*)", "MIN(run_id) + 2", "MAX(fork_epoch)") + " FROM runs)";
                Col compared = pick(List.of(RUN, EPOCH));
                String op = pick("<", ">", "=");
                yield u -> column(alias, compared, u) + " " + op + " " + q;
            }
            case 16 -> {
                String q = pick("EXISTS ", "NOT EXISTS ") + "(SELECT 1 FROM runs r WHERE r.run_id = " + alias + ".run_id AND r.status = '" + pick(STATUSES) + "')";
                yield u -> q;
            }
            case 17 -> {
                String q = "(SELECT l.epoch FROM epoch_losses l WHERE l.run_id = " + RUN.constant.apply(random) + " AND l.epoch < " + random.nextInt(20) + ")";
                yield u -> column(alias, EPOCH, u) + " IN " + q;
            }
            default -> {
                // Two conditions on one column, which H2 folds into one range (or an empty one).
                String op1 = pick(">", ">=");
                String op2 = pick("<", "<=");
                yield u -> column(alias, c, u) + " " + op1 + " " + k1 + " AND " + column(alias, c, u) + " " + op2 + " " + k2;
            }
        };
    }

    private static Double number(String constant) {
        try {
            return Double.valueOf(constant);
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    // Orders and limits -----------------------------------------------------------------------------------------------

    /** A random order over the view's columns, with its unique columns after it so that the order is total when asked. */
    private String orderBy(View v, String alias, boolean total) {
        List<String> keys = new ArrayList<>();
        List<Col> candidates = new ArrayList<>(v.all());
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
            // Half the orders start with run_id or epoch, the columns an index may deliver in order (or backwards).
            Col c = i == 0 && random.nextBoolean() ? pick(List.of(RUN, EPOCH)) : pick(candidates);
            candidates.remove(c);
            keys.add(alias + "." + c.name + direction() + (random.nextInt(8) == 0 ? pick(" NULLS FIRST", " NULLS LAST") : ""));
        }
        if (total) {
            for (Col c : v.unique()) {
                String ref = alias + "." + c.name;
                // A column named twice makes H2 2.3 trip an assertion once the sorted result spills to disk.
                if (keys.stream().noneMatch(k -> k.equals(ref) || k.startsWith(ref + " "))) {
                    keys.add(ref + direction());
                }
            }
        }
        return String.join(", ", keys);
    }

    /** The same order with its key columns wrapped, so that no index serves it. */
    private static String orderBy(String order) {
        StringBuilder out = new StringBuilder();
        for (String part : order.split(", ")) {
            String[] words = part.split(" ", 2);
            String ref = words[0];
            boolean key = ref.endsWith(".run_id") || ref.endsWith(".epoch") || ref.endsWith(".sample") || ref.endsWith(".layer")
                    || ref.endsWith(".neuron") || ref.endsWith(".output") || ref.endsWith("_neuron");
            String wrapped = ref.endsWith(".weight") ? "SUBSTRING(" + ref + ", 1)" : key ? "(" + ref + " + 0)" : ref;
            out.append(out.isEmpty() ? "" : ", ").append(wrapped).append(words.length > 1 ? " " + words[1] : "");
        }
        return out.toString();
    }

    private static String order(String order, boolean unindexed) {
        return " ORDER BY " + order;
    }


    private String direction() {
        return pick(" ASC", " DESC", " DESC", "");
    }

    private String limit() {
        int n = random.nextInt(12);
        int m = random.nextInt(30);
        return pick(" LIMIT " + n, " LIMIT " + n + " OFFSET " + m, " OFFSET " + m + " ROWS", " FETCH FIRST " + n + " ROWS ONLY",
                " OFFSET " + m + " ROWS FETCH NEXT " + n + " ROWS ONLY");
    }

    private View view() {
        return pick(VIEWS);
    }

    private <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    @SafeVarargs
    private <T> T pick(T... items) {
        return items[random.nextInt(items.length)];
    }

    private static String pick(SplittableRandom r, String... items) {
        return items[r.nextInt(items.length)];
    }
}
