package org.rtc4j.testkit;

import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The guard for tests that start browsers, servers or other processes: they must run inside the private
 * network namespace that {@code build/netns/bin/java} makes for every test JVM, where the only interface is
 * loopback. Such a test calls {@link #require()} first; outside the namespace it fails with one line that
 * says why, and is never skipped.
 */
public final class LoopbackNamespace {

    private LoopbackNamespace() {
    }

    /**
     * Returns normally only inside a loopback-only namespace.
     *
     * @throws AssertionError with the reason otherwise
     */
    public static void require() {
        String problem = problem();
        if (problem != null) {
            throw new AssertionError("this test must run in a loopback-only network namespace: " + problem);
        }
    }

    /** Why this JVM is not in a loopback-only namespace, or {@code null} when it is. */
    public static String problem() {
        String error = System.getenv("RTC4J_NETNS_ERROR");
        if (error != null) {
            return error;
        }
        if (!"loopback-only".equals(System.getenv("RTC4J_NETNS"))) {
            return "the JVM was not started by build/netns/bin/java (Surefire's <jvm>); run the tests with ./rtc4j test";
        }
        List<String> names;
        try {
            names = interfaceNames();
        } catch (SocketException e) {
            return "cannot list network interfaces: " + e.getMessage();
        }
        if (!names.equals(List.of("lo"))) {
            return "interfaces other than loopback are present: " + names;
        }
        return null;
    }

    /**
     * The names of the network interfaces this process sees, sorted. Read through the kernel's socket API,
     * which reflects the namespace (unlike {@code /sys/class/net}).
     */
    public static List<String> interfaceNames() throws SocketException {
        List<String> names = new ArrayList<>();
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            names.add(nif.getName());
        }
        Collections.sort(names);
        return names;
    }
}
