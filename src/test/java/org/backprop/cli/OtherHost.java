package org.backprop.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A machine next to this one: a network namespace of its own, joined to this machine by a veth pair, so that a
 * connection from it comes from another address, as one from the network would. Only root can make one; where that
 * fails there is none, and {@link #addressesOfThisMachine()} gives the second way in (this machine's own non-loopback
 * addresses).
 */
final class OtherHost implements AutoCloseable {
    private final String namespace;
    private final String link;
    /** This machine's address as the other host reaches it. */
    private final String here;
    private final String there;

    private OtherHost(String namespace, String link, String here, String there) {
        this.namespace = namespace;
        this.link = link;
        this.here = here;
        this.there = there;
    }

    /** A new namespace with its veth pair, or why there cannot be one. */
    static Optional<OtherHost> make(List<String> why) {
        if (!"root".equals(System.getProperty("user.name"))) {
            why.add("not root, so no network namespace can be made");
            return Optional.empty();
        }
        byte[] r = new byte[3];
        new SecureRandom().nextBytes(r);
        String tag = HexFormat.of().formatHex(r);
        // A /30 of its own in 10.0.0.0/8, and names of its own, so that tests of other worktrees can run beside it.
        String prefix = "10." + (1 + (r[0] & 0xff) % 250) + "." + (r[1] & 0xff) + ".";
        int base = (r[2] & 0x3f) * 4;
        OtherHost host = new OtherHost("bp" + tag, "bp" + tag + "a", prefix + (base + 1), prefix + (base + 2));
        for (List<String> step : List.of(
                List.of("ip", "netns", "add", host.namespace),
                List.of("ip", "link", "add", host.link, "type", "veth", "peer", "name", "bp" + tag + "b", "netns", host.namespace),
                List.of("ip", "addr", "add", host.here + "/30", "dev", host.link),
                List.of("ip", "link", "set", host.link, "up"),
                List.of("ip", "netns", "exec", host.namespace, "ip", "addr", "add", host.there + "/30", "dev", "bp" + tag + "b"),
                List.of("ip", "netns", "exec", host.namespace, "ip", "link", "set", "bp" + tag + "b", "up"),
                List.of("ip", "netns", "exec", host.namespace, "ip", "link", "set", "lo", "up"))) {
            Stranger.Result result = Stranger.run(step);
            if (result.exitCode() != 0) {
                host.close();
                why.add(String.join(" ", step) + " failed: " + result.output().strip());
                return Optional.empty();
            }
        }
        return Optional.of(host);
    }

    /** This machine's address as seen from the other host. */
    String addressOfThisMachine() {
        return here;
    }

    /** True when a TCP connection from the other host to this machine's {@code port} is accepted. */
    boolean connects(int port) {
        return Stranger.run(List.of("ip", "netns", "exec", namespace, "timeout", "5", "bash", "-c",
                "exec 3<>/dev/tcp/" + here + "/" + port)).exitCode() == 0;
    }

    /** Runs a command on the other host. */
    Stranger.Result run(List<String> command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        all.addAll(command);
        return Stranger.run(all);
    }

    /** The command, to be run on the other host (with ProcessBuilder). */
    List<String> on(List<String> command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        all.addAll(command);
        return all;
    }

    /** Proves the way in works: a socket listening on every address accepts the other host's connection. */
    void assertReachesThisMachine() {
        try (ServerSocket open = new ServerSocket(0, 50, InetAddress.getByName("0.0.0.0"))) {
            if (!connects(open.getLocalPort())) {
                throw new AssertionError("the other host " + there + " cannot reach a socket listening on every address of this machine: the test"
                        + " would prove nothing");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The IPv4 addresses of this machine that are not loopback ones. */
    static List<String> addressesOfThisMachine() {
        List<String> addresses = new ArrayList<>();
        try {
            for (NetworkInterface i : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(i.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                        addresses.add(a.getHostAddress());
                    }
                }
            }
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
        return addresses;
    }

    @Override
    public void close() {
        Stranger.run(List.of("ip", "link", "del", link));
        Stranger.run(List.of("ip", "netns", "del", namespace));
    }
}
