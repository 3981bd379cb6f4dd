package org.backprop.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.backprop.cli.Cli;
import org.backprop.events.EpochRecorded;
import org.backprop.events.RunRecorder;
import org.backprop.model.Backprop;
import org.backprop.model.EpochResult;
import org.backprop.model.Parameters;
import org.backprop.model.RunConfig;
import org.backprop.events.EventStore;
import org.backprop.store.StoreAccess;
import org.backprop.store.Stores;
import org.backprop.store.StoreLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server sees runs and epochs as they are committed, tells the page within a second, and a reconnect resumes. */
class LiveTest {
    @TempDir
    Path dir;

    /** The lines of one event stream, read on a thread of their own. */
    static final class Stream implements AutoCloseable {
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final Thread reader;
        private volatile java.util.stream.Stream<String> body;

        Stream(UiClient client, String path, String lastEventId) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(client.base() + path)).header("Cookie", client.cookie());
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            reader = Thread.ofVirtual().start(() -> {
                try {
                    HttpResponse<java.util.stream.Stream<String>> r = HttpClient.newHttpClient().send(request.build(),
                            HttpResponse.BodyHandlers.ofLines());
                    lines.add("status: " + r.statusCode());
                    lines.add("type: " + r.headers().firstValue("Content-Type").orElse(""));
                    body = r.body();
                    body.forEach(lines::add);
                } catch (IOException | InterruptedException | java.io.UncheckedIOException e) {
                    // Closed by the test.
                }
            });
        }

        /** The next event's id and data, or null when none comes within {@code seconds}. */
        String[] next(double seconds) throws InterruptedException {
            long until = System.nanoTime() + (long) (seconds * 1e9);
            String id = null;
            while (true) {
                String line = lines.poll(Math.max(1, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    return null;
                }
                if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("data: ")) {
                    return new String[] {id, line.substring(6)};
                }
            }
        }

        String head() throws InterruptedException {
            return lines.poll(5, TimeUnit.SECONDS) + "; " + lines.poll(5, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            if (body != null) {
                body.close();
            }
            reader.interrupt();
        }
    }

    private static void append(RunRecorder recorder, RunConfig config, Parameters[] p, int epochs) {
        for (int i = 0; i < epochs; i++) {
            int epoch = recorder.nextEpoch();
            EpochResult r = Backprop.epoch(config.network(), config.data(), p[0], config.learningRate());
            recorder.append(new EpochRecorded(recorder.started().runId(), epoch, p[0], r.netInputs(), r.activations(), r.deltas(),
                    r.weightGradients(), r.biasGradients(), r.loss()));
            p[0] = r.after();
        }
        recorder.flush();
    }

    @Test
    void aTrainingRunsEpochsReachItsStreamWithinASecondAndAReconnectResumesFromTheLastSeen() throws Exception {
        Cli cli = new Cli(dir);
        assertEquals(0, cli.run("train", "-q").exitCode());
        RunConfig config = RunConfig.seed().withName("live").withEpochs(1000);
        try (EventStore writer = Stores.open(StoreLocation.of(cli.store().toString()), StoreAccess.WRITE); UiStore ui = UiStore.start(cli)) {
            RunRecorder recorder = writer.start(config, null, null);
            Parameters[] p = {config.initial()};
            append(recorder, config, p, 10);
            long id = recorder.started().runId();
            String seen;
            try (Stream stream = new Stream(ui.client, "/api/live?run=" + id, null)) {
                assertEquals("status: 200; type: text/event-stream; charset=utf-8", stream.head());
                String[] first = stream.next(5);
                assertEquals("10-running", first[0]);
                assertTrue(first[1].contains("\"epochsRecorded\":10"), first[1]);
                long committed = System.nanoTime();
                append(recorder, config, p, 15);
                String[] next = stream.next(5);
                double seconds = (System.nanoTime() - committed) / 1e9;
                assertEquals("25-running", next[0]);
                assertTrue(seconds < 1.0, "the commit reached the stream after " + seconds + " s");
                seen = next[0];
            }
            // Back with the last id seen: nothing is sent again until something changes.
            try (Stream again = new Stream(ui.client, "/api/live?run=" + id, seen)) {
                again.head();
                assertNull(again.next(0.8));
                append(recorder, config, p, 5);
                assertEquals("30-running", again.next(5)[0]);
            }
            // Back with an older id: what came since is sent at once.
            try (Stream late = new Stream(ui.client, "/api/live?run=" + id, "10-running")) {
                late.head();
                assertEquals("30-running", late.next(2)[0]);
                recorder.complete(p[0]);
                recorder.close();
                String[] done = late.next(5);
                assertEquals("30-completed", done[0]);
            }
        }
    }

    @Test
    void theRunsStreamSendsNewRunsAndResumesFromTheLastVersionSeen() throws Exception {
        Cli cli = new Cli(dir);
        assertEquals(0, cli.run("train", "-q").exitCode());
        try (UiStore ui = UiStore.start(cli).indexed()) {
            long version;
            try (Stream stream = new Stream(ui.client, "/api/live", null)) {
                stream.head();
                assertEquals(0, cli.run("train", "--epochs", "7", "--name", "second", "-q").exitCode());
                String[] event = stream.next(5);
                assertTrue(event[1].contains("\"name\":\"second\""), event[1]);
                version = Long.parseLong(event[0]);
            }
            assertEquals(0, cli.run("train", "--epochs", "3", "--name", "third", "-q").exitCode());
            Thread.sleep(3 * LiveRuns.POLL_MILLIS);
            // Everything that changed since: the third run, and the second's row once its losses were read.
            try (Stream resumed = new Stream(ui.client, "/api/live", Long.toString(version))) {
                resumed.head();
                boolean third = false;
                for (String[] event = resumed.next(3); event != null && !third; event = resumed.next(3)) {
                    third = event[1].contains("\"name\":\"third\"");
                }
                assertTrue(third, "the run recorded while the stream was closed is sent");
            }
        }
    }
}
