package org.backprop.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.backprop.events.DamagedRunException;
import org.backprop.events.EventStore;
import org.backprop.events.UnknownRunException;

/**
 * The local web page: runs, one run replayed epoch by epoch, runs compared, sweeps, live as they train. The JDK's
 * own HTTP server, a virtual thread per request, reading only through the {@link StoreView} it is given.
 */
public final class UiServer implements AutoCloseable {
    private final HttpServer http;
    private final ExecutorService threads;
    private final StoreView view;
    private final LiveRuns live;
    private final Guard guard;
    private final String base;
    private final boolean debug;
    private final PrintWriter err;
    private final StaticFiles files = new StaticFiles();
    private final RunsApi runs;
    private final RunApi run;
    private final CompareApi compare;
    private final SweepApi sweeps;
    private final Downloads downloads;
    private final LiveEvents events;

    private UiServer(HttpServer http, StoreView view, String urlHost, Set<String> hosts, boolean debug, PrintWriter err) {
        this.http = http;
        this.view = view;
        this.debug = debug;
        this.err = err;
        int port = http.getAddress().getPort();
        this.guard = new Guard(port, hosts);
        this.base = "http://" + urlHost + ":" + port + "/";
        EventStore store = view.events();
        LossCurves losses = new LossCurves(store);
        this.live = new LiveRuns(view, losses);
        this.runs = new RunsApi(view, live);
        this.run = new RunApi(store, live, losses);
        this.compare = new CompareApi(store, live);
        this.sweeps = new SweepApi(view);
        this.downloads = new Downloads(view, compare, sweeps);
        this.events = new LiveEvents(live);
        this.threads = Executors.newVirtualThreadPerTaskExecutor();
        http.setExecutor(threads);
        http.createContext("/", this::handle);
    }

    /**
     * Serves {@code view} on {@code host} (a loopback address unless the user said otherwise) and {@code port} (0: a free
     * one). Errors the page did not cause are written to {@code err}, with their stack trace when {@code debug}.
     */
    public static UiServer start(StoreView view, String host, int port, boolean debug, PrintWriter err) throws IOException {
        InetAddress address = InetAddress.getByName(host);
        HttpServer http = HttpServer.create(new InetSocketAddress(address, port), 64);
        int bound = http.getAddress().getPort();
        String urlHost = address.isAnyLocalAddress() ? "127.0.0.1" : host.contains(":") ? "[" + host + "]" : host;
        UiServer server = new UiServer(http, view, urlHost, hosts(host, address, bound), debug, err);
        server.live.start();
        http.start();
        return server;
    }

    /** The names a request may give in its Host header: the loopback names, the host asked for, and for a wildcard every local address. */
    static Set<String> hosts(String host, InetAddress address, int port) throws SocketException {
        Set<String> names = new LinkedHashSet<>();
        for (String loopback : new String[] {"127.0.0.1", "localhost", "[::1]"}) {
            names.add(loopback + ":" + port);
        }
        names.add((host.contains(":") ? "[" + host + "]" : host) + ":" + port);
        if (address.isAnyLocalAddress()) {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    String literal = a.getHostAddress().replaceFirst("%.*$", "");
                    names.add((literal.contains(":") ? "[" + literal + "]" : literal) + ":" + port);
                }
            }
            try {
                names.add(InetAddress.getLocalHost().getHostName() + ":" + port);
            } catch (IOException e) {
                // A machine without a name for itself is reached by its addresses.
            }
        }
        return names;
    }

    /** The address to open, with the token that lets its visitor in. */
    public String url() {
        return base + "?token=" + guard.token();
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** Whether every run's losses have been read once, so the runs page shows every final and best error. */
    public boolean indexed() {
        return live.snapshot().indexed();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!guard.admit(ex)) {
                return;
            }
            Request r = new Request(ex);
            try {
                route(r);
            } catch (BadRequestException e) {
                Reply.text(ex, e.status(), e.getMessage());
            } catch (UnknownRunException e) {
                Reply.text(ex, 404, e.getMessage());
            } catch (DamagedRunException e) {
                Reply.text(ex, 500, e.getMessage());
            } catch (IOException e) {
                throw e;
            } catch (RuntimeException e) {
                err.println("backprop ui: " + r.path() + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
                if (debug) {
                    e.printStackTrace(err);
                }
                err.flush();
                Reply.text(ex, 500, "the server failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        } catch (IOException gone) {
            // The browser went away before the answer was written.
        }
    }

    private void route(Request r) throws IOException {
        HttpExchange ex = r.exchange();
        int n = r.size();
        String first = n == 0 ? "" : r.segment(0);
        switch (first) {
            case "" -> files.page(ex, 200, "runs");
            case "runs" -> {
                if (n != 2) {
                    throw BadRequestException.notFound("there is no page " + r.path());
                }
                view.events().started(Request.runId(r.segment(1)));
                files.page(ex, 200, "run");
            }
            case "compare" -> {
                if (n != 1) {
                    throw BadRequestException.notFound("there is no page " + r.path());
                }
                files.page(ex, 200, "compare");
            }
            case "sweeps" -> {
                if (n != 2) {
                    throw BadRequestException.notFound("there is no page " + r.path());
                }
                sweeps.load(Request.runId(r.segment(1)));
                files.page(ex, 200, "sweep");
            }
            case "static" -> {
                if (!files.serve(ex, r.segments())) {
                    throw BadRequestException.notFound("there is no file " + r.path());
                }
            }
            case "api" -> api(r);
            case "download" -> downloads.serve(r);
            default -> throw BadRequestException.notFound("there is no page " + r.path());
        }
    }

    private void api(Request r) throws IOException {
        int n = r.size();
        String what = n < 2 ? "" : r.segment(1);
        switch (what) {
            case "runs" -> {
                if (n == 2) {
                    runs.list(r);
                    return;
                }
                long id = Request.runId(r.segment(2));
                if (n == 3) {
                    run.run(r, id);
                } else if (n == 4 && r.segment(3).equals("curve")) {
                    run.curve(r, id);
                } else if (n == 4 && r.segment(3).equals("weights")) {
                    run.trajectories(r, id);
                } else if (n == 5 && r.segment(3).equals("epochs")) {
                    run.epoch(r, id, Request.number("epoch", r.segment(4), 0, Integer.MAX_VALUE));
                } else {
                    throw BadRequestException.notFound("there is no " + r.path());
                }
            }
            case "compare" -> {
                if (n == 2) {
                    compare.summary(r);
                } else if (n == 3 && r.segment(2).equals("diff")) {
                    compare.lossDifference(r);
                } else if (n == 3 && r.segment(2).equals("weights")) {
                    compare.weights(r);
                } else {
                    throw BadRequestException.notFound("there is no " + r.path());
                }
            }
            case "sweeps" -> {
                if (n != 3) {
                    throw BadRequestException.notFound("there is no " + r.path());
                }
                sweeps.sweep(r, Request.runId(r.segment(2)));
            }
            case "live" -> events.stream(r);
            default -> throw BadRequestException.notFound("there is no " + r.path());
        }
    }

    /** Stops serving and ends the event streams; the store is its opener's to close. */
    @Override
    public void close() {
        live.close();
        http.stop(0);
        threads.shutdownNow();
    }
}
