package org.rtc4j.rtp.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rtc4j.testkit.LoopbackNamespace;

/**
 * A real peer we did not write: libsrtp 2 (Debian's python3-pylibsrtp, the binding aiortc uses). Both ways,
 * every profile, across a sequence number wrap; our SRTP packets must equal libsrtp's byte for byte.
 */
class LibsrtpInteropTest {

    private static final HexFormat HEX = HexFormat.of();
    private static Process peer;
    private static Writer toPeer;
    private static BufferedReader fromPeer;

    @BeforeAll
    static void startLibsrtp() throws IOException {
        LoopbackNamespace.require();
        Path script = Files.createTempFile("libsrtp_peer", ".py");
        try (var in = LibsrtpInteropTest.class.getResourceAsStream("libsrtp_peer.py")) {
            Files.write(script, in.readAllBytes());
        }
        // Debian's interpreter: python3-pylibsrtp is installed for it (./rtc4j test installs the package).
        peer = new ProcessBuilder("/usr/bin/python3", script.toString()).redirectErrorStream(true).start();
        toPeer = new java.io.OutputStreamWriter(peer.getOutputStream(), StandardCharsets.US_ASCII);
        fromPeer = new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.US_ASCII));
    }

    @AfterAll
    static void stop() {
        if (peer != null) {
            peer.destroyForcibly();
        }
    }

    private static String ask(String command) throws IOException {
        toPeer.write(command + "\n");
        toPeer.flush();
        String answer = fromPeer.readLine();
        if (answer == null) {
            throw new AssertionError("libsrtp peer exited (is python3-pylibsrtp installed?)");
        }
        return answer;
    }

    private static byte[] askBytes(String op, byte[] data, int len) throws IOException {
        String answer = ask(op + " " + HEX.formatHex(data, 0, len));
        assertThat(answer).as("libsrtp %s", op).doesNotStartWith("ERR");
        return HEX.parseHex(answer);
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtpAndRtcpBothWaysAcrossTheSequenceWrap(SrtpProfile profile) throws IOException {
        Random r = new Random(profile.ordinal());
        byte[] k = new byte[profile.keyLength()];
        byte[] s = new byte[profile.saltLength()];
        r.nextBytes(k);
        r.nextBytes(s);
        SrtpMasterKey key = new SrtpMasterKey(profile, k, s);
        assertThat(ask("KEY " + profile + " " + HEX.formatHex(k) + HEX.formatHex(s))).isEqualTo("OK");
        SrtpContext tx = new SrtpContext(key);
        SrtpContext rx = new SrtpContext(key);
        int ssrc = 0x1234_5678;
        for (int i = 0; i < 120; i++) {
            int seq = (65_480 + i) & 0xFFFF;           // ROC goes from 0 to 1 halfway
            byte[] plain = SrtpContextTest.rtp(seq, ssrc, 20 + r.nextInt(1000), i);
            byte[] buf = Arrays.copyOf(plain, plain.length + profile.rtpOverhead());
            int n = tx.protectRtp(buf, 0, plain.length);
            byte[] theirs = askBytes("P", plain, plain.length);
            assertThat(Arrays.copyOf(buf, n)).as("packet %d protected like libsrtp", i).isEqualTo(theirs);
            assertThat(askBytes("U", buf, n)).isEqualTo(plain);
            byte[] back = Arrays.copyOf(theirs, theirs.length);
            assertThat(rx.unprotectRtp(back, 0, back.length)).isEqualTo(plain.length);
            assertThat(Arrays.copyOf(back, plain.length)).isEqualTo(plain);
        }
        // SRTCP: a receiver report with our SSRC, each way (the indexes differ: libsrtp starts at 1).
        byte[] rtcp = HEX.parseHex("81c90007" + "12345678" + "9abcdef0" + "00000000" + "0000ffff" + "00000000"
                + "00000000" + "00000000");
        byte[] buf = Arrays.copyOf(rtcp, rtcp.length + profile.rtcpOverhead());
        int n = tx.protectRtcp(buf, 0, rtcp.length);
        assertThat(askBytes("UC", buf, n)).isEqualTo(rtcp);
        byte[] theirs = askBytes("PC", rtcp, rtcp.length);
        assertThat(rx.unprotectRtcp(theirs, 0, theirs.length)).isEqualTo(rtcp.length);
        assertThat(Arrays.copyOf(theirs, rtcp.length)).isEqualTo(rtcp);
    }
}
