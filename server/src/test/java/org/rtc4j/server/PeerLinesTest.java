package org.rtc4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The peer's input: a line far past any description is skipped as it streams by, and what follows is read. */
class PeerLinesTest {

    /** {@code n} bytes of 'x', made as they are read (never held). */
    private static InputStream filler(long n) {
        return new InputStream() {
            long left = n;

            @Override
            public int read() {
                return left-- > 0 ? 'x' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int k = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + k, (byte) 'x');
                left -= k;
                return k;
            }
        };
    }

    @Test
    void aHugeLineIsSkippedAndTheOfferAfterItRead() throws Exception {
        InputStream in = new SequenceInputStream(filler(300L << 20), new java.io.ByteArrayInputStream(
                "\n{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}\r\n".getBytes(StandardCharsets.UTF_8)));
        PeerLines lines = new PeerLines(in, new PrintStream(new ByteArrayOutputStream()), 1 << 20);
        var offer = lines.await("offer");
        assertThat(offer).isNotNull();
        assertThat(offer.get("sdp").asText()).isEqualTo("v=0\r\n");
        assertThat(lines.skippedLines()).isEqualTo(1);
    }

    @Test
    void aHugeLastLineEndsTheInput() throws Exception {
        PeerLines lines = new PeerLines(filler(5L << 20), new PrintStream(new ByteArrayOutputStream()), 1 << 20);
        assertThat(lines.await("answer")).isNull();
        assertThat(lines.skippedLines()).isEqualTo(1);
    }
}
