package org.backprop.store.h2;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.h2.tools.Server;

/** H2's TCP server over a folder of file stores, so that processes on other machines can share them. */
public final class StoreServer {
    private final Server server;

    private StoreServer(Server server) {
        this.server = server;
    }

    /**
     * Serves the stores in {@code folder} on {@code port} (0: any free port), to this machine only unless
     * {@code allowOthers}; a port that cannot be listened on is an {@link SQLException}.
     */
    public static StoreServer start(Path folder, int port, boolean allowOthers) throws SQLException {
        List<String> args = new ArrayList<>(List.of("-tcpPort", Integer.toString(port), "-baseDir", folder.toString(),
                // Stores may be created through the server, but only inside the folder it serves.
                "-ifNotExists"));
        if (allowOthers) {
            args.add("-tcpAllowOthers");
        }
        return new StoreServer(Server.createTcpServer(args.toArray(String[]::new)).start());
    }

    public int port() {
        return server.getPort();
    }
}
