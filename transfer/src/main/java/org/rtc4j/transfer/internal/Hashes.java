package org.rtc4j.transfer.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256, the hash every file is checked with at the end. */
public final class Hashes {

    private Hashes() {
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /** The SHA-256 of a file, read a megabyte at a time. */
    public static byte[] of(Path file) throws IOException {
        return of(file, ByteBuffer.allocate(1 << 20), sha256());
    }

    /** The SHA-256 of a file, read through {@code buf} (many files, one buffer) into {@code md}, reset first. */
    static byte[] of(Path file, ByteBuffer buf, MessageDigest md) throws IOException {
        md.reset();
        try (FileChannel fc = FileChannel.open(file, StandardOpenOption.READ)) {
            while (fc.read(buf.clear()) > 0) {
                md.update(buf.flip());
            }
        }
        return md.digest();
    }
}
