package org.rtc4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DemoCommandTest {

    @Test
    void aTakenPortIsAClearErrorNotAStackTrace() throws Exception {
        PrintStream saved = System.err;
        var err = new ByteArrayOutputStream();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run("demo", "--host", "127.0.0.1", "--port", String.valueOf(taken.getLocalPort()));
            assertThat(code).isEqualTo(1);
        } finally {
            System.setErr(saved);
        }
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("rtc4j demo: cannot listen on 127.0.0.1:", "already in use", "--port 0");
    }

    @Test
    void badSettingsAreRefused() {
        PrintStream saved = System.err;
        var err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(Main.run("demo", "--port", "0", "--room-capacity", "1")).isEqualTo(1);
            assertThat(Main.run("demo", "--port", "0", "--tls-cert", "x.pem")).isEqualTo(1);
        } finally {
            System.setErr(saved);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("room capacity", "--tls-cert and --tls-key go together");
    }
}
