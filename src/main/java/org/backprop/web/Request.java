package org.backprop.web;

import com.sun.net.httpserver.HttpExchange;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One request's path and query parameters, with the checks every handler needs for its numbers. */
final class Request {
    private final HttpExchange exchange;
    private final String path;
    private final List<String> segments;
    private final Map<String, String> query;

    Request(HttpExchange exchange) {
        this.exchange = exchange;
        this.path = exchange.getRequestURI().getPath();
        List<String> parts = new ArrayList<>();
        for (String p : path.split("/")) {
            if (!p.isEmpty()) {
                parts.add(p);
            }
        }
        this.segments = List.copyOf(parts);
        this.query = parse(exchange.getRequestURI().getRawQuery());
    }

    static Map<String, String> parse(String rawQuery) {
        Map<String, String> out = new HashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(key, value);
        }
        return out;
    }

    HttpExchange exchange() {
        return exchange;
    }

    String path() {
        return path;
    }

    List<String> segments() {
        return segments;
    }

    int size() {
        return segments.size();
    }

    String segment(int i) {
        return segments.get(i);
    }

    boolean isHead() {
        return exchange.getRequestMethod().equals("HEAD");
    }

    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    String param(String name) {
        return query.get(name);
    }

    /** A whole-number parameter within {@code min..max}, or {@code otherwise} when it is not given. */
    int intParam(String name, int min, int max, int otherwise) {
        String v = query.get(name);
        if (v == null || v.isEmpty()) {
            return otherwise;
        }
        return number(name, v, min, max);
    }

    /** A whole-number parameter that must be given. */
    int requiredInt(String name, int min, int max) {
        String v = query.get(name);
        if (v == null || v.isEmpty()) {
            throw new BadRequestException(400, "the parameter " + name + " is missing");
        }
        return number(name, v, min, max);
    }

    static int number(String what, String v, int min, int max) {
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new BadRequestException(400, what + " must be a whole number, not '" + v + "'");
        }
        if (n < min || n > max) {
            throw new BadRequestException(400, what + " is " + n + ": give " + min + " to " + max);
        }
        return (int) n;
    }

    /** A run id in the path or a parameter. */
    static long runId(String v) {
        if (v == null || !v.matches("[0-9]{1,18}")) {
            throw BadRequestException.notFound("'" + v + "' is not a run id");
        }
        return Long.parseLong(v);
    }
}
