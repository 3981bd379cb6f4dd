package org.backprop.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Writes responses: JSON documents, plain text, files and downloads; a HEAD request gets the headers alone. */
final class Reply {
    static final JsonFactory JSON = new JsonFactory();

    private Reply() {
    }

    /** What writes a JSON document. */
    @FunctionalInterface
    interface JsonBody {
        void write(JsonGenerator g) throws IOException;
    }

    /** What writes a download's text. */
    @FunctionalInterface
    interface TextBody {
        void write(PrintWriter out) throws IOException;
    }

    static void json(HttpExchange ex, int status, JsonBody body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        try (JsonGenerator g = JSON.createGenerator(bytes)) {
            body.write(g);
        }
        bytes(ex, status, "application/json; charset=utf-8", bytes.toByteArray());
    }

    static void text(HttpExchange ex, int status, String text) throws IOException {
        bytes(ex, status, "text/plain; charset=utf-8", (text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    static void bytes(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            ex.sendResponseHeaders(status, -1);
            ex.close();
            return;
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /**
     * A file to save: streamed as it is written (a download may be every epoch of a long run), named {@code filename}.
     * Headers go out before the first byte, so an error after them can only cut the file short.
     */
    static void download(HttpExchange ex, String contentType, String filename, TextBody body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + filename + "\"");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(200, -1);
            ex.close();
            return;
        }
        ex.sendResponseHeaders(200, 0);
        try (PrintWriter out = new PrintWriter(new OutputStreamWriter(ex.getResponseBody(), StandardCharsets.UTF_8), false)) {
            body.write(out);
        }
    }
}
