package org.rtc4j.dtls.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * NSS key log lines ({@code CLIENT_RANDOM <client random> <master secret>}), the format Wireshark reads to
 * decrypt TLS 1.2 and DTLS 1.2, appended to a file as browsers do with SSLKEYLOGFILE.
 */
public final class KeyLog {

    private static final Logger LOG = LoggerFactory.getLogger(KeyLog.class);
    private static final Object LOCK = new Object();

    private KeyLog() {
    }

    public static void append(Path file, byte[] clientRandom, byte[] masterSecret) {
        String line = "CLIENT_RANDOM " + HexFormat.of().formatHex(clientRandom) + " "
                + HexFormat.of().formatHex(masterSecret) + "\n";
        synchronized (LOCK) {
            try {
                Files.writeString(file, line, StandardCharsets.US_ASCII, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            } catch (IOException e) {
                LOG.warn("cannot append to the DTLS key log {}: {}", file, e.toString());
            }
        }
    }
}
