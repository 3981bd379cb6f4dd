package org.backprop.store;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** This process as a person would look for it, {@code pid@host}: how a store names who writes a run or made it. */
public final class ThisProcess {
    private ThisProcess() {
    }

    // Looked up once: resolving the host name can take a while on some networks.
    private static final class Name {
        static final String VALUE = name();
    }

    /** {@code pid@host}, at most {@code maxLength} characters. */
    public static String name(int maxLength) {
        String name = Name.VALUE;
        return name.length() > maxLength ? name.substring(0, maxLength) : name;
    }

    private static String name() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return ProcessHandle.current().pid() + "@" + host;
    }
}
