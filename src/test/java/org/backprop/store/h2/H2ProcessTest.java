package org.backprop.store.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import org.backprop.events.StoreException;
import org.h2.engine.SysProperties;
import org.h2.message.DbException;
import org.h2.util.JdbcUtils;
import org.junit.jupiter.api.Test;

/** The H2 every backprop process runs: loopback servers, no Java object ever deserialized, no class but the store's loaded. */
class H2ProcessTest {
    @Test
    void h2ListensOnLoopbackDeserializesNothingAndLoadsOnlyTheStoresClasses() throws Exception {
        H2Process.ensure();
        assertEquals("127.0.0.1", SysProperties.BIND_ADDRESS);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new ArrayList<>(java.util.List.of("rebuilt")));
        }
        DbException refused = assertThrows(DbException.class, () -> JdbcUtils.deserialize(bytes.toByteArray(), null));
        assertTrue(refused.getMessage().contains(RefusedJavaObjects.REFUSAL), refused.getMessage());
        DbException denied = assertThrows(DbException.class, () -> JdbcUtils.loadUserClass("java.lang.System"));
        assertTrue(denied.getMessage().startsWith("Access to the class \"java.lang.System\" is denied"), denied.getMessage());
        assertEquals(org.backprop.store.sql.AppendOnlyTrigger.class, JdbcUtils.loadUserClass("org.backprop.store.sql.AppendOnlyTrigger"));
    }

    @Test
    void aProcessWhoseServersListenOnLoopbackCannotBeTurnedIntoOneThatListensEverywhere() {
        H2Process.ensure();
        StoreException e = assertThrows(StoreException.class, () -> H2Process.ensure(null));
        assertEquals("H2's servers in this process listen on 127.0.0.1, not on every address as asked: run backprop in a process of its own",
                e.getMessage());
    }
}
