package org.backprop.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import org.backprop.events.EventStore;
import org.backprop.store.StoreAccess;
import org.backprop.store.Stores;
import org.backprop.store.StoreLocation;
import org.backprop.web.StoreView;
import org.backprop.web.UiServer;

/**
 * The web page's figures: the server's answers timed over HTTP, and, where Chromium and the browser tests' node
 * modules are installed, what a person waits for in the browser (src/test/web/bench.mjs): a long run's loss curve
 * from the click, an epoch's exact values from a jump or a key, the runs page of a store with many runs.
 */
final class UiBench {
    private final Path dir;
    private final Path launcher;
    private final boolean quick;
    private final Bench.Figures figures;
    private final HttpClient http = HttpClient.newHttpClient();

    UiBench(Path dir, Path launcher, boolean quick, Bench.Figures figures) {
        this.dir = dir;
        this.launcher = launcher;
        this.quick = quick;
        this.figures = figures;
    }

    /** {@code longStore} holds one run of {@code longEpochs} epochs (run 1). */
    void run(Path longStore, int longEpochs) throws Exception {
        int runs = quick ? 200 : 1000;
        Path manyStore = dir.resolve("many");
        StringJoiner rates = new StringJoiner(",");
        for (int i = 1; i <= runs; i++) {
            rates.add(Double.toString(i / 1000.0));
        }
        launch(List.of("sweep", "--lr", rates.toString(), "--epochs", "100", "-q", "--db", manyStore.toString()));
        StringWriter errors = new StringWriter();
        long t0 = System.nanoTime();
        try (EventStore longEvents = Stores.open(StoreLocation.of(longStore.toString()), StoreAccess.WATCH);
             EventStore manyEvents = Stores.open(StoreLocation.of(manyStore.toString()), StoreAccess.WATCH);
             UiServer longUi = serve(longEvents, errors); UiServer manyUi = serve(manyEvents, errors)) {
            awaitIndexed(longUi);
            figures.figure("ui.index.long.seconds", (System.nanoTime() - t0) / 1e9, "s", null, 0);
            awaitIndexed(manyUi);
            figures.figure("ui.api.curve.long.median", medianMillis(21, i -> get(longUi, "/api/runs/1/curve?points=2400")), "ms", null, 0);
            SplittableRandom random = new SplittableRandom(11);
            figures.figure("ui.api.epoch.long.median", medianMillis(101, i -> get(longUi, "/api/runs/1/epochs/" + random.nextInt(longEpochs))),
                    "ms", null, 0);
            figures.figure("ui.api.runs.many.median", medianMillis(11, i -> get(manyUi, "/api/runs")), "ms", null, 0);
            browserFigures(longUi, manyUi, runs);
            if (!errors.toString().isEmpty()) {
                throw new IllegalStateException("the server reported failures: " + errors);
            }
        }
    }

    private void browserFigures(UiServer longUi, UiServer manyUi, int runs) throws Exception {
        Path web = Path.of("src/test/web").toAbsolutePath();
        String missing = !Files.isDirectory(web.resolve("node_modules/playwright-core")) ? "run scripts/test-browser once to install playwright-core"
                : which("node") == null ? "no node" : System.getenv("BACKPROP_CHROMIUM") == null && which("chromium") == null
                ? "no Chromium (apt-get install -y chromium)" : null;
        if (missing != null) {
            System.out.println("# ui: the browser figures are skipped: " + missing);
            return;
        }
        Process p = new ProcessBuilder("node", "bench.mjs", longUi.url(), "1", manyUi.url()).directory(web.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("the browser benchmark failed: " + out);
        }
        JsonNode r = new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElseThrow());
        if (r.get("runs").asInt() != runs) {
            throw new IllegalStateException("the runs page showed " + r.get("runs") + " runs, not " + runs);
        }
        figures.figure("ui.browser.curve.long.from_click.median", median(r.get("curveMs")), "ms", "<", 300);
        figures.figure("ui.browser.scrub.long.median", median(r.get("scrubMs")), "ms", "<", 50);
        figures.figure("ui.browser.scrub.long.p90", percentile(r.get("scrubMs"), 0.9), "ms", null, 0);
        figures.figure("ui.browser.runs_page." + runs + "_runs.median", median(r.get("runsMs")), "ms", "<", 500);
    }

    private static UiServer serve(EventStore store, StringWriter errors) throws IOException {
        return UiServer.start(new StoreView(store), "127.0.0.1", 0, false,
                new PrintWriter(errors, true));
    }

    private static void awaitIndexed(UiServer ui) throws InterruptedException {
        for (int i = 0; i < 6000 && !ui.indexed(); i++) {
            Thread.sleep(10);
        }
    }

    private static String cookie(UiServer ui) {
        return "backprop-ui-" + ui.port() + "=" + URI.create(ui.url()).getQuery().substring("token=".length());
    }

    private void get(UiServer ui, String path) throws Exception {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ui.port() + path))
                .header("Cookie", cookie(ui)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + r.statusCode());
        }
    }

    private interface Request {
        void run(int i) throws Exception;
    }

    private static double medianMillis(int reps, Request request) throws Exception {
        for (int i = 0; i < 5; i++) {
            request.run(i);
        }
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            request.run(i);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[reps / 2];
    }

    private static double median(JsonNode values) {
        return percentile(values, 0.5);
    }

    private static double percentile(JsonNode values, double q) {
        List<Double> v = new ArrayList<>();
        values.forEach(x -> v.add(x.asDouble()));
        v.sort(null);
        return v.get(Math.min(v.size() - 1, (int) Math.floor(q * v.size())));
    }

    private void launch(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().remove("BACKPROP_HEAP");
        pb.environment().remove("BACKPROP_JAVA_OPTS");
        if (pb.start().waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }

    private static Path which(String program) {
        for (String folder : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(folder, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
