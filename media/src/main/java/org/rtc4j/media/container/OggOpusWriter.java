package org.rtc4j.media.container;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.rtc4j.media.container.internal.ByteBuilder;
import org.rtc4j.media.container.internal.OggCrc;
import org.rtc4j.media.container.internal.OpusToc;
import org.rtc4j.media.container.internal.Output;
import org.rtc4j.media.container.internal.TrackClocks;
import org.rtc4j.rtp.Codec;
import org.rtc4j.rtp.EncodedFrame;

/**
 * Records Opus into Ogg (RFC 7845; page layout in {@link OggOpusReader}). Packets are gathered into pages of at
 * most {@link #PAGE_DURATION_NANOS}, each written whole, so a killed recorder leaves every page but the one in
 * memory. Ogg has no timestamps of its own: a gap in the frames' times (DTX, loss) is filled with empty 20 ms
 * packets, which decoders conceal, so that the audio stays in step with the recording's clock. For the same
 * reason a packet that would be placed half of its length or more after its time (its time repeats or steps
 * back: reordered or mis-timed) is dropped and counted ({@link #dropped()}): appended, it would delay all the
 * audio after it.
 */
public final class OggOpusWriter implements EncodedWriter {

    /** The longest stretch of audio held in memory before its page is written. */
    public static final long PAGE_DURATION_NANOS = 200_000_000L;

    private static final int HEADER_FLAG_FIRST = 2;
    private static final int HEADER_FLAG_LAST = 4;

    private final Output out;
    private final TrackClocks clocks;
    private final boolean stereo;
    private final int serial = ThreadLocalRandom.current().nextInt();
    private final ByteBuilder pageBytes = new ByteBuilder(8192);
    private final ByteBuilder body = new ByteBuilder(8192);
    private final byte[] lacing = new byte[255];
    private int segments;
    private int sequence;
    private long granule; // 48 kHz samples through the last packet given to a page
    private long pageStartGranule;
    private boolean started;
    private long origin; // 48 kHz time of the first packet
    private long dropped;

    private OggOpusWriter(Output out, ContainerTrack track) throws IOException {
        if (track.codec() != Codec.OPUS || track.channels() < 1 || track.channels() > 2) {
            throw new IllegalArgumentException("Ogg Opus records mono or stereo Opus, not " + track);
        }
        this.out = out;
        this.stereo = track.channels() == 2;
        this.clocks = new TrackClocks(List.of(track));
        // RFC 7845 5.1: ID header, channel mapping family 0.
        ByteBuilder head = new ByteBuilder(19).ascii("OpusHead").u8(1).u8(track.channels()).le(track.preSkip(), 2)
                .le(track.sampleRate() == 0 ? 48_000 : track.sampleRate(), 4).le(0, 2).u8(0);
        writePage(HEADER_FLAG_FIRST, 0, head);
        // RFC 7845 5.2: comment header with the vendor string and no comments.
        ByteBuilder tags = new ByteBuilder(32).ascii("OpusTags").le(5, 4).ascii("rtc4j").le(0, 4);
        writePage(0, 0, tags);
        out.flush();
    }

    public static OggOpusWriter create(Path file, ContainerTrack track) throws IOException {
        return Output.create(file, out -> new OggOpusWriter(out, track));
    }

    public OggOpusWriter(OutputStream stream, ContainerTrack track) throws IOException {
        this(Output.of(stream), track);
    }

    @Override
    public void write(int track, EncodedFrame frame) throws IOException {
        write(track, frame, clocks.nanos(track, frame));
    }

    @Override
    public void write(int track, EncodedFrame frame, long timeNanos) throws IOException {
        if (track != 0 || frame.codec() != Codec.OPUS) {
            throw new IllegalArgumentException("Ogg Opus track 0 takes Opus, not track " + track + " " + frame.codec());
        }
        int samples = OpusToc.samples(frame.data());
        if (samples < 0) {
            throw new IllegalArgumentException("not an Opus packet: " + frame);
        }
        long at = TrackClocks.nanosToTicks(timeNanos, 48_000) - origin;
        if (!started) {
            started = true; // the first packet sets the origin: times count from it
            origin = at;
        } else {
            if (granule - at >= samples / 2) {
                dropped++;
                return;
            }
            byte[] silence = OpusToc.silence20ms(stereo);
            while (at - granule >= 480) { // 20 ms packets while at least half of one is missing
                addPacket(silence, 960);
            }
        }
        addPacket(frame.data(), samples);
    }

    /** Packets dropped because they would have gone at least half their length after their time. */
    public long dropped() {
        return dropped;
    }

    private void addPacket(byte[] packet, int samples) throws IOException {
        int laces = packet.length / 255 + 1;
        if (laces > 255) {
            throw new IllegalArgumentException("Opus packet of " + packet.length + " bytes");
        }
        if (segments + laces > 255) {
            flushPage(0);
        }
        for (int i = 0; i < laces - 1; i++) {
            lacing[segments++] = (byte) 255;
        }
        lacing[segments++] = (byte) (packet.length % 255);
        body.bytes(packet);
        granule += samples;
        if (TrackClocks.ticksToNanos(granule - pageStartGranule, 48_000) >= PAGE_DURATION_NANOS) {
            flushPage(0);
        }
    }

    private void flushPage(int flags) throws IOException {
        if (segments == 0 && flags == 0) {
            return;
        }
        pageBytes.reset();
        header(flags, granule, segments);
        pageBytes.bytes(lacing, 0, segments).bytes(body.array(), 0, body.length());
        finishPage();
        segments = 0;
        body.reset();
        pageStartGranule = granule;
    }

    /** A page holding one whole header packet (shorter than 255 bytes). */
    private void writePage(int flags, long pageGranule, ByteBuilder packet) throws IOException {
        pageBytes.reset();
        header(flags, pageGranule, 1);
        pageBytes.u8(packet.length()).bytes(packet.array(), 0, packet.length());
        finishPage();
    }

    private void header(int flags, long pageGranule, int segmentCount) {
        pageBytes.ascii("OggS").u8(0).u8(flags).le(pageGranule, 8).le(serial, 4).le(sequence++, 4).le(0, 4)
                .u8(segmentCount);
    }

    private void finishPage() throws IOException {
        pageBytes.setLe(22, OggCrc.update(0, pageBytes.array(), 0, pageBytes.length()), 4);
        out.write(pageBytes);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        flushPage(HEADER_FLAG_LAST);
        out.close();
    }
}
