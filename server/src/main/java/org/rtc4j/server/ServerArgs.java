package org.rtc4j.server;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The STUN and TURN servers' usual command lines, read without picocli: building picocli's model of a command
 * (its annotations, their proxies, the converters) was 0.06 of the 0.15 CPU seconds a TURN server took to
 * start (issue 23). Only plain {@code --name value}, {@code --name=value} and flags are read here; anything
 * else (help, version, an unknown or repeated option, a value that is not a plain number) makes
 * {@link #parse} return false, and the command runs through picocli as before, which says what is wrong.
 * The names and values are the annotated options' (a test checks both readings agree).
 */
final class ServerArgs {

    private final Map<String, Consumer<String>> options = new HashMap<>();
    private final Set<String> repeatable = new HashSet<>();
    private final Map<String, Runnable> flags = new HashMap<>();

    /** An option taking one value, given once at most. */
    ServerArgs option(String name, Consumer<String> set) {
        options.put(name, set);
        return this;
    }

    /** An option that may be given several times, each value added. */
    ServerArgs repeatable(String name, Consumer<String> add) {
        repeatable.add(name);
        return option(name, add);
    }

    /** An option with a number of type int (or long) as value. */
    ServerArgs number(String name, Consumer<Long> set) {
        return option(name, text -> set.accept(plainNumber(text)));
    }

    ServerArgs flag(String name, Runnable set) {
        flags.put(name, set);
        return this;
    }

    /** The options shared by both servers ({@link TcpOptions}, defaults as its annotations say). */
    ServerArgs tcpOptions(TcpOptions tcp) {
        tcp.maxConnections = TcpLimits.defaults().maxConnections();
        tcp.maxPerAddress = TcpLimits.DEFAULT_PER_ADDRESS;
        tcp.idleSeconds = TcpLimits.defaults().idleTimeout().toSeconds();
        return number("--max-tcp-connections", n -> tcp.maxConnections = Math.toIntExact(n))
                .number("--max-tcp-per-address", n -> tcp.maxPerAddress = Math.toIntExact(n))
                .number("--tcp-idle-timeout", n -> tcp.idleSeconds = n);
    }

    /** Every option and flag name read here. */
    Set<String> names() {
        Set<String> names = new HashSet<>(options.keySet());
        names.addAll(flags.keySet());
        return names;
    }

    /**
     * Sets the options {@code args} names and returns true, or returns false at the first argument it does not
     * read (then some options may be set: the caller gives the whole line to picocli instead).
     */
    boolean parse(String[] args) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg : arg.substring(0, equals);
            Runnable flag = flags.get(arg);
            Consumer<String> option = options.get(name);
            if (!seen.add(name) && !repeatable.contains(name)) {
                return false; // picocli refuses a single-valued option given twice
            }
            try {
                if (flag != null) {
                    flag.run();
                } else if (option == null) {
                    return false;
                } else if (equals >= 0) {
                    option.accept(arg.substring(equals + 1));
                } else if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
                    option.accept(args[++i]);
                } else {
                    return false;
                }
            } catch (IllegalArgumentException | ArithmeticException e) {
                return false;
            }
        }
        return true;
    }

    /** A decimal number without sign or leading zero (what picocli reads the same way), else an exception. */
    private static long plainNumber(String text) {
        if (text.isEmpty() || text.length() > 18 || (text.length() > 1 && text.charAt(0) == '0')) {
            throw new NumberFormatException(text);
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                throw new NumberFormatException(text);
            }
        }
        return Long.parseLong(text);
    }
}
