package org.backprop.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Requests to a running {@link UiServer} as a browser would send them: with its cookie, or without, or with headers of our choosing. */
final class UiClient {
    private final UiServer server;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

    UiClient(UiServer server) {
        this.server = server;
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    String token() {
        return URI.create(server.url()).getQuery().substring("token=".length());
    }

    String cookie() {
        return "backprop-ui-" + server.port() + "=" + token();
    }

    /** GET with the cookie a browser has after its first visit. */
    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).header("Cookie", cookie()).GET().build());
    }

    HttpResponse<String> getWithoutCookie(String path) {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).GET().build());
    }

    HttpResponse<String> method(String method, String path) {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).header("Cookie", cookie())
                .method(method, HttpRequest.BodyPublishers.ofString("x")).build());
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The status line and headers (names in lower case) of a request written by hand, so its Host header can be anything. */
    record Raw(int status, Map<String, List<String>> headers) {
    }

    Raw raw(String method, String path, String host) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\n" + (host == null ? "" : "Host: " + host + "\r\n") + "Cookie: " + cookie()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String head = new String(readHead(in), StandardCharsets.ISO_8859_1);
            String[] lines = head.split("\r\n");
            Map<String, List<String>> headers = new TreeMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(), k -> new java.util.ArrayList<>())
                            .add(lines[i].substring(colon + 1).trim());
                }
            }
            return new Raw(Integer.parseInt(lines[0].split(" ")[1]), headers);
        }
    }

    private static byte[] readHead(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        for (int b; matched < 4 && (b = in.read()) >= 0; ) {
            head.write(b);
            matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
        }
        return head.toByteArray();
    }
}
