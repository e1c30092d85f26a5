package org.rtc4j.transfer.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.BitSet;

/**
 * Which chunks of a file are on the receiving disk, kept beside the partial file so that a receiver killed half
 * way asks only for the rest. Saved after the data it describes was written (a process kill loses no written
 * data; at worst a few chunks are asked for again), through a rename, so a torn write is never read back.
 * File format: the file size (8 bytes, big-endian), then one bit per chunk.
 */
public final class ChunkMap {

    private final long size;
    private final int count;
    private final BitSet have;

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
            if (b.length == 8 + (count + 7) / 8 && buf.getLong() == size) {
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
        ByteBuffer buf = ByteBuffer.allocate(8 + (count + 7) / 8).putLong(size);
        byte[] bits = have.toByteArray();
        buf.put(bits);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, buf.array());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public void set(int chunk) {
        have.set(chunk);
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
