package org.backprop.web;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * The page's own files, from inside the jar: its HTML, scripts and style under {@code web/}, and uPlot from its webjar.
 * Only plainly named files are served, so no request can reach any other resource.
 */
final class StaticFiles {
    /** Where the webjar keeps uPlot: under its version, which the webjar's own Maven properties name. */
    private static final String UPLOT = "META-INF/resources/webjars/uplot/" + uplotVersion() + "/";
    /** The page's own files: every one is named here, and nothing else under {@code web/} is served. */
    private static final List<String> OWN = List.of("page.html", "style.css", "icon.svg",
            "common.js", "chart.js", "diagram.js", "runs.js", "run.js", "compare.js", "sweep.js", "sweep-table.js");
    private static final Map<String, String> UPLOT_FILES = Map.of(
            "uPlot.esm.js", "dist/uPlot.esm.js", "uPlot.min.css", "dist/uPlot.min.css", "LICENSE", "LICENSE");

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();
    private final String stamp = stamp();

    private static String uplotVersion() {
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            java.util.Properties p = new java.util.Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "missing");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What names this build's files: a digest of all of them. Pages load them from {@code /static/STAMP/}, which a
     * browser may keep for good (a new build has a new stamp), so going from page to page loads no script twice.
     */
    private String stamp() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String name : OWN) {
                sha.update(name.getBytes(StandardCharsets.UTF_8));
                sha.update(read("web/" + name));
            }
            sha.update(UPLOT.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    String stampValue() {
        return stamp;
    }

    /**
     * One of the page's files, as {@code /static/NAME} or {@code /static/STAMP/NAME} (the pages' own form), or uPlot's as
     * {@code .../uplot/NAME}; false when there is no such file.
     */
    boolean serve(HttpExchange ex, List<String> path) throws IOException {
        boolean stamped = path.size() > 1 && path.get(1).equals(stamp);
        List<String> rest = path.subList(stamped ? 2 : 1, path.size());
        String resource = rest.size() == 1 && OWN.contains(rest.get(0)) ? "web/" + rest.get(0)
                : rest.size() == 2 && rest.get(0).equals("uplot") && UPLOT_FILES.containsKey(rest.get(1)) ? UPLOT + UPLOT_FILES.get(rest.get(1))
                : null;
        byte[] body = resource == null ? null : read(resource);
        if (body == null) {
            return false;
        }
        ex.getResponseHeaders().set("Cache-Control", stamped ? "private, max-age=31536000, immutable" : "no-cache");
        Reply.bytes(ex, 200, type(rest.get(rest.size() - 1)), body);
        return true;
    }

    /** A page: the one HTML shell, loading the module named {@code page} from this build's files. */
    void page(HttpExchange ex, int status, String page) throws IOException {
        String html = new String(read("web/page.html"), StandardCharsets.UTF_8)
                .replace("\"/static/", "\"/static/" + stamp + "/").replace("PAGE", page);
        Reply.bytes(ex, status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] read(String resource) {
        byte[] cached = cache.get(resource);
        if (cached != null) {
            return cached;
        }
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            byte[] body = in.readAllBytes();
            cache.put(resource, body);
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String type(String name) {
        if (name.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        if (name.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        if (name.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".svg")) {
            return "image/svg+xml";
        }
        return "text/plain; charset=utf-8";
    }
}
