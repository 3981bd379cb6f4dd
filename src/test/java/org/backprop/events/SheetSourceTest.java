package org.backprop.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import org.backprop.model.RunConfig;
import org.junit.jupiter.api.Test;

class SheetSourceTest {
    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void aRunWithoutASourceKeepsItsCanonicalTextAndHash() {
        RunStarted plain = new RunStarted(3, RunConfig.seed(), null, null, AT);
        String json = CanonicalConfig.json(plain);
        assertFalse(json.contains("source"), json);
        assertEquals(json, CanonicalConfig.json(new RunStarted(3, RunConfig.seed(), null, null, AT, null)));
        assertNull(CanonicalConfig.source(json));
    }

    @Test
    void aSourceReadsBackFromTheCanonicalTextWhateverItsNamesHold() {
        SheetSource source = new SheetSource("a \"quoted\",\"source\":{\"recordedFrom\":\"sheet\" name.xlsx", "ab".repeat(32),
                "LR = 0.1\t∂E/∂w3", "A32");
        RunStarted started = new RunStarted(4, RunConfig.seed().withName("x \"source\":{"), null, null, AT, source);
        String json = CanonicalConfig.json(started);
        assertEquals(source, CanonicalConfig.source(json));
        byte[] with = new EventHashes().start(started);
        byte[] without = new EventHashes().start(new RunStarted(4, started.config(), null, null, AT));
        assertFalse(java.util.Arrays.equals(with, without), "the start hash covers the source");
    }
}
