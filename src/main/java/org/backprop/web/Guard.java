package org.backprop.web;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;

/**
 * Lets in only the person who started the server. Every request must name this server in its {@code Host} header
 * (so a page of another site cannot reach it through a rebound DNS name), be a GET or HEAD, and carry the token: in
 * the address printed at start, which is swapped at the first visit for an HttpOnly, SameSite=Strict cookie, or in
 * that cookie. Every response forbids framing, sniffing, referrers and any script or style from elsewhere.
 */
final class Guard {
    static final String CSP = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private final byte[] token;
    private final String tokenText;
    private final String cookieName;
    private final Set<String> hosts;

    /** A guard with a fresh random token of 256 bits, for a server that answers to the {@code host:port} names given. */
    Guard(int port, Set<String> hosts) {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.tokenText = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        this.token = tokenText.getBytes(StandardCharsets.US_ASCII);
        // Cookies are kept per host name, not per port: each server on this machine needs a name of its own.
        this.cookieName = "backprop-ui-" + port;
        this.hosts = Set.copyOf(hosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList());
    }

    String token() {
        return tokenText;
    }

    /** Sets the headers every response carries, answers a request that may not go on, and says whether it may. */
    boolean admit(HttpExchange ex) throws IOException {
        Headers out = ex.getResponseHeaders();
        out.set("Content-Security-Policy", CSP);
        out.set("X-Content-Type-Options", "nosniff");
        out.set("Referrer-Policy", "no-referrer");
        out.set("X-Frame-Options", "DENY");
        out.set("Cross-Origin-Resource-Policy", "same-origin");
        out.set("Cross-Origin-Opener-Policy", "same-origin");
        out.set("Cache-Control", "no-store");
        String host = ex.getRequestHeaders().getFirst("Host");
        if (host == null || !hosts.contains(host.toLowerCase(Locale.ROOT))) {
            Reply.text(ex, 403, "refused: this server answers only to " + String.join(" or ", hosts.stream().sorted().toList())
                    + " (a page of another site may not reach it through a name of its own)");
            return false;
        }
        String method = ex.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            out.set("Allow", "GET, HEAD");
            Reply.text(ex, 405, "method not allowed: this server only reads (GET and HEAD)");
            return false;
        }
        if (matches(cookie(ex))) {
            return true;
        }
        String given = Request.parse(ex.getRequestURI().getRawQuery()).get("token");
        if (matches(given)) {
            out.add("Set-Cookie", cookieName + "=" + tokenText + "; Path=/; HttpOnly; SameSite=Strict");
            // The token leaves the address at once, so it stays out of the history and of anything copied from the bar.
            out.set("Location", withoutToken(ex));
            ex.sendResponseHeaders(303, -1);
            ex.close();
            return false;
        }
        Reply.text(ex, 401, "this page needs the address 'backprop ui' printed, with its ?token=...: open that one"
                + " (a new token is made each time the server starts)");
        return false;
    }

    private boolean matches(String given) {
        return given != null && MessageDigest.isEqual(token, given.getBytes(StandardCharsets.US_ASCII));
    }

    private String cookie(HttpExchange ex) {
        for (String header : ex.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
            for (String part : header.split(";")) {
                String p = part.strip();
                if (p.startsWith(cookieName + "=")) {
                    return p.substring(cookieName.length() + 1);
                }
            }
        }
        return null;
    }

    private static String withoutToken(HttpExchange ex) {
        String raw = ex.getRequestURI().getRawQuery();
        StringBuilder kept = new StringBuilder();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                if (!pair.isEmpty() && !pair.startsWith("token=") && !pair.equals("token")) {
                    kept.append(kept.isEmpty() ? "?" : "&").append(pair);
                }
            }
        }
        // A path of "//host" would send the browser to another site.
        return "/" + ex.getRequestURI().getRawPath().replaceFirst("^/+", "") + kept;
    }
}
