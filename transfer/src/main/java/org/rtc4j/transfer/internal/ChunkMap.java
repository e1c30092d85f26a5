package org.rtc4j.transfer.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;

/**
 * Which chunks of a file are on the receiving disk, kept beside the partial file so that a receiver killed half
 * way asks only for the rest. Written whole once through a rename (a torn write is never read back), then kept
 * current in place: each chunk's bit is written (a byte or a few in place) right after the chunk's data, so
 * the map never lags the data and never claims a chunk that is not written.
 * File format: the file size (8 bytes, big-endian), then one bit per chunk (chunk i: byte i / 8, bit i % 8).
 */
public final class ChunkMap implements AutoCloseable {

    private static final int HEADER = 8;

    private final long size;
    private final int count;
    private final BitSet have;
    /** The map's file while it is kept current ({@link #open}), else null. */
    private FileChannel file;
    /** A batch's bytes of the map (16 chunks: 2 or 3 bytes). */
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(8);

    private ChunkMap(long size, BitSet have) {
        this.size = size;
        this.count = FileChunk.count(size);
        this.have = have;
    }

    /** The map saved at {@code file} for a file of {@code size} bytes, or an empty one. */
    public static ChunkMap load(Path file, long size) throws IOException {
        int count = FileChunk.count(size);
        try {
            byte[] b = Files.readAllBytes(file);
            ByteBuffer buf = ByteBuffer.wrap(b);
            if (b.length == HEADER + (count + 7) / 8 && buf.getLong() == size) {
                BitSet bits = BitSet.valueOf(buf.slice());
                if (bits.length() <= count) {
                    return new ChunkMap(size, bits);
                }
            }
        } catch (NoSuchFileException e) {
            // nothing yet
        }
        return new ChunkMap(size, new BitSet(count));
    }

    /** Saves the map to {@code file} (through a temporary file and a rename). */
    public void save(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(HEADER + (count + 7) / 8).putLong(size);
        byte[] bits = have.toByteArray();
        buf.put(bits);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, buf.array());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Saves the map to {@code path}, then keeps that file current with every {@link #set} until closed. */
    public void open(Path path) throws IOException {
        save(path);
        file = FileChannel.open(path, StandardOpenOption.WRITE);
    }

    /** Marks a chunk present (written to its file first, when the map is {@link #open}). */
    public void set(int chunk) throws IOException {
        setAll(chunk, chunk + 1);
    }

    /** Marks chunks {@code [from, to)} present, their bytes written to the map's file in one write when open. */
    public void setAll(int from, int to) throws IOException {
        have.set(from, to);
        if (file != null && to > from) {
            int first = from >>> 3;
            int last = (to - 1) >>> 3;
            ByteBuffer b = last - first < scratch.capacity() ? scratch.clear().limit(last - first + 1)
                    : ByteBuffer.allocate(last - first + 1);
            for (int at = first; at <= last; at++) {
                int bits = 0;
                for (int i = 0; i < 8; i++) {
                    if (have.get((at << 3) + i)) {
                        bits |= 1 << i;
                    }
                }
                b.put((byte) bits);
            }
            b.flip();
            long pos = HEADER + first;
            while (b.hasRemaining()) {
                file.write(b, pos + b.position());
            }
        }
    }

    /** Stops keeping the file current. */
    @Override
    public void close() throws IOException {
        if (file != null) {
            file.close();
            file = null;
        }
    }

    public boolean has(int chunk) {
        return have.get(chunk);
    }

    public boolean complete() {
        return have.cardinality() == count;
    }

    /** Bytes of the file that are there. */
    public long presentBytes() {
        long n = (long) have.cardinality() * FileChunk.SIZE;
        if (count > 0 && have.get(count - 1)) {
            n -= FileChunk.SIZE - FileChunk.length(size, count - 1);
        }
        return n;
    }

    /** The missing chunks as {@code [[first, end), ...]}. */
    public ArrayNode missing() {
        ArrayNode ranges = Json.MAPPER.createArrayNode();
        int from = have.nextClearBit(0);
        while (from < count) {
            int to = Math.min(count, have.nextSetBit(from) < 0 ? count : have.nextSetBit(from));
            ranges.add(Json.MAPPER.createArrayNode().add(from).add(to));
            from = have.nextClearBit(to);
        }
        return ranges;
    }
}
