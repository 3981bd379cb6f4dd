package org.backprop.store.h2;

import java.util.Map;
import org.h2.api.ErrorCode;
import org.h2.message.DbException;
import org.h2.server.TcpServer;

/**
 * H2's TCP server, answering only to the names of the stores it serves: a client naming anything else (another file
 * of the folder, {@code mem:x}, a path) is refused before any database is opened or created for it.
 */
final class StoreTcpServer extends TcpServer {
    private final Map<String, String> databases;

    /** @param databases each served store's name, as clients give it, to the name of its open database */
    StoreTcpServer(Map<String, String> databases) {
        this.databases = Map.copyOf(databases);
    }

    @Override
    public String checkKeyAndGetDatabaseName(String db) {
        String database = db == null ? null : databases.get(db);
        if (database == null) {
            throw DbException.get(ErrorCode.REMOTE_DATABASE_NOT_FOUND_1, String.valueOf(db));
        }
        return database;
    }
}
