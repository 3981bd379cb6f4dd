package org.backprop.web;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The page's own files, from inside the jar: its HTML, scripts and style under {@code web/}, and uPlot from its webjar.
 * Only plainly named files are served, so no request can reach any other resource.
 */
final class StaticFiles {
    /** Where the webjar keeps uPlot: under its version, which the webjar's own Maven properties name. */
    static final String UPLOT = "META-INF/resources/webjars/uplot/" + uplotVersion() + "/";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*\\.(js|css|html|svg)");
    private static final Map<String, String> UPLOT_FILES = Map.of(
            "uPlot.esm.js", "dist/uPlot.esm.js", "uPlot.min.css", "dist/uPlot.min.css", "LICENSE", "LICENSE");

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

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

    /** One of the page's files by its name, as {@code /static/NAME}; false when there is no such file. */
    boolean serveOwn(HttpExchange ex, String name) throws IOException {
        if (!NAME.matcher(name).matches()) {
            return false;
        }
        return serve(ex, "web/" + name, name);
    }

    /** A file of uPlot's, as {@code /static/uplot/NAME}. */
    boolean serveUplot(HttpExchange ex, String name) throws IOException {
        String path = UPLOT_FILES.get(name);
        return path != null && serve(ex, UPLOT + path, name);
    }

    /** A page: the HTML that loads its module. */
    void page(HttpExchange ex, int status, String name) throws IOException {
        byte[] body = read("web/" + name);
        if (body == null) {
            throw new IllegalStateException("the page " + name + " is missing from the jar");
        }
        Reply.bytes(ex, status, "text/html; charset=utf-8", body);
    }

    private boolean serve(HttpExchange ex, String resource, String name) throws IOException {
        byte[] body = read(resource);
        if (body == null) {
            return false;
        }
        Reply.bytes(ex, 200, type(name), body);
        return true;
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
