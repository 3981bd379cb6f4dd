package org.backprop.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nobody but the person who started {@code backprop ui} gets in, and no other site can use their visit. */
class GuardTest {
    @TempDir
    static Path dir;

    static UiStore ui;

    @BeforeAll
    static void start() throws Exception {
        ui = UiStore.of(dir, new String[] {"train", "-q"});
    }

    @AfterAll
    static void stop() {
        ui.close();
    }

    @Test
    void theTokenIsAtLeast128RandomBitsInThePrintedAddress() {
        String url = ui.server.url();
        assertTrue(url.startsWith("http://127.0.0.1:" + ui.server.port() + "/?token="), url);
        // 256 bits in unpadded base64url: 43 characters.
        assertEquals(43, ui.client.token().length());
        assertTrue(ui.client.token().matches("[A-Za-z0-9_-]+"));
    }

    @Test
    void everyRequestWithoutTheTokenIsRefused() {
        for (String path : List.of("/", "/runs/1", "/api/runs", "/api/runs/1/epochs/0", "/api/live", "/static/run.js",
                "/download/runs.csv", "/static/uplot/uPlot.esm.js")) {
            HttpResponse<String> r = ui.client.getWithoutCookie(path);
            assertEquals(401, r.statusCode(), path);
            assertFalse(r.body().contains("seed"), path);
        }
        assertEquals(401, ui.client.getWithoutCookie("/?token=" + "x".repeat(43)).statusCode());
        assertEquals(401, ui.client.send(HttpRequest.newBuilder(URI.create(ui.client.base() + "/api/runs"))
                .header("Cookie", "backprop-ui-" + ui.server.port() + "=" + ui.client.token().substring(1) + "A").build()).statusCode());
    }

    @Test
    void theFirstVisitSwapsTheTokenForAnHttpOnlySameSiteStrictCookieAndDropsItFromTheAddress() {
        HttpResponse<String> r = ui.client.getWithoutCookie("/runs/1?epoch=5&token=" + ui.client.token());
        assertEquals(303, r.statusCode());
        assertEquals("/runs/1?epoch=5", r.headers().firstValue("Location").orElseThrow());
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.startsWith(ui.client.cookie() + ";"), cookie);
        assertTrue(cookie.contains("HttpOnly"), cookie);
        assertTrue(cookie.contains("SameSite=Strict"), cookie);
        assertTrue(cookie.contains("Path=/"), cookie);
        assertEquals(200, ui.client.get("/runs/1?epoch=5").statusCode());
    }

    @Test
    void aRedirectNeverLeavesTheServer() {
        for (String path : List.of("//elsewhere.example/x", "/%2F/elsewhere.example/x", "///elsewhere.example")) {
            HttpResponse<String> r = ui.client.getWithoutCookie(path + "?token=" + ui.client.token());
            String location = r.headers().firstValue("Location").orElseThrow();
            assertTrue(location.startsWith("/") && !location.startsWith("//"), path + " -> " + location);
        }
    }

    @Test
    void aRequestNamingAnotherHostIsRefusedAgainstDnsRebinding() throws Exception {
        int port = ui.server.port();
        assertEquals(403, ui.client.raw("GET", "/api/runs", "evil.example:" + port).status());
        assertEquals(403, ui.client.raw("GET", "/api/runs", "127.0.0.1:" + (port + 1)).status());
        assertEquals(403, ui.client.raw("GET", "/api/runs", "127.0.0.1").status());
        int none = ui.client.raw("GET", "/api/runs", null).status();
        assertTrue(none == 400 || none == 403, "no Host header: " + none);
        assertEquals(200, ui.client.raw("GET", "/api/runs", "127.0.0.1:" + port).status());
        assertEquals(200, ui.client.raw("GET", "/api/runs", "localhost:" + port).status());
    }

    @Test
    void aServerOnEveryAddressAnswersToTheMachinesAddressesAndNoOtherName() throws Exception {
        java.util.Set<String> hosts = UiServer.hosts("0.0.0.0", java.net.InetAddress.getByName("0.0.0.0"), 8123);
        assertTrue(hosts.containsAll(List.of("127.0.0.1:8123", "localhost:8123", "[::1]:8123")), hosts.toString());
        assertFalse(hosts.contains("evil.example:8123"));
        assertTrue(hosts.stream().allMatch(h -> h.endsWith(":8123")), hosts.toString());
        java.util.Set<String> one = UiServer.hosts("127.0.0.2", java.net.InetAddress.getByName("127.0.0.2"), 9);
        assertEquals(java.util.Set.of("127.0.0.1:9", "localhost:9", "[::1]:9", "127.0.0.2:9"), one);
    }

    @Test
    void onlyGetAndHeadAreAnswered() throws Exception {
        for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS")) {
            HttpResponse<String> r = ui.client.method(method, "/api/runs");
            assertEquals(405, r.statusCode(), method);
            assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElseThrow(), method);
        }
        UiClient.Raw head = ui.client.raw("HEAD", "/api/runs", "127.0.0.1:" + ui.server.port());
        assertEquals(200, head.status());
    }

    @Test
    void everyAnswerForbidsOtherSitesScriptsFramesAndSniffingAndCarriesNoCorsHeaders() throws Exception {
        for (HttpResponse<String> r : List.of(ui.client.get("/"), ui.client.get("/api/runs"), ui.client.getWithoutCookie("/"),
                ui.client.method("OPTIONS", "/api/runs"), ui.client.get("/nothing"))) {
            String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertTrue(csp.startsWith("default-src 'self'"), csp);
            assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElseThrow());
            assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElseThrow());
            assertTrue(r.headers().map().keySet().stream().noneMatch(h -> h.toLowerCase().startsWith("access-control-")), r.headers().toString());
        }
    }

    @Test
    void unknownPagesRunsAndFilesAreNotFound() {
        for (String path : List.of("/runs/99", "/runs/x", "/api/runs/99", "/api/runs/1/epochs/100", "/sweeps/1", "/static/../pom.xml",
                "/static/Run.js", "/static/web/run.js", "/static/uplot/uPlot.d.ts", "/download/runs.xml", "/api/nothing")) {
            assertEquals(404, ui.client.get(path).statusCode(), path);
        }
        assertEquals(400, ui.client.get("/api/runs/1/epochs/0?sample=2").statusCode());
        assertEquals("", ui.errors.toString());
    }
}
