package org.rtc4j.sctp.internal;

import org.rtc4j.core.Bytes;
import org.rtc4j.sctp.SctpState;

/**
 * Writes the packets of an association (RFC 9260 3.1, 6.10): the common header, then as much as fits the path
 * MTU, bundled in order: control chunks, SACK, FORWARD-TSN, DATA. Single-chunk packets with their own tag
 * (INIT, stateless replies, ABORT) and path MTU probes are written here too. The checksum is left zero when
 * both sides agreed to that (RFC 9653).
 */
public final class PacketWriter {

    private final AssociationState st;
    private final Sender sender;
    private final Receiver receiver;
    private final PathMtuSearch pmtu;
    /** Room for the largest packet: MAX_PLPMTU (a probe), grown when the driver raises it. */
    private byte[] txBuf;

    public PacketWriter(AssociationState st, Sender sender, Receiver receiver, PathMtuSearch pmtu) {
        this.st = st;
        this.sender = sender;
        this.receiver = receiver;
        this.pmtu = pmtu;
        this.txBuf = new byte[st.cfg.maxMtu()];
    }

    /** The packet {@link #build} or {@link #probe} wrote, from offset 0. */
    public byte[] buffer() {
        return txBuf;
    }

    /** Makes room for packets of {@code maxMtu} bytes. */
    public void ensureRoom(int maxMtu) {
        if (maxMtu > txBuf.length) {
            txBuf = new byte[maxMtu];
        }
    }

    /** Encodes a single-chunk packet with its own tag and checksum (INIT, stateless replies, ABORT). */
    public byte[] packet(int vtag, Chunk chunk, boolean crc) {
        byte[] b = new byte[ChunkCodec.COMMON_HEADER + ChunkCodec.size(chunk)];
        Bytes.putU16(b, 0, st.cfg.localPort());
        Bytes.putU16(b, 2, st.cfg.remotePort());
        Bytes.putU32(b, 4, vtag);
        ChunkCodec.encode(chunk, b, ChunkCodec.COMMON_HEADER);
        if (crc || !st.sendZeroChecksum) {
            st.checksum.seal(b, 0, b.length);
        }
        return b;
    }

    private void header(byte[] b) {
        Bytes.putU16(b, 0, st.cfg.localPort());
        Bytes.putU16(b, 2, st.cfg.remotePort());
        Bytes.putU32(b, 4, st.peerTag);
        Bytes.putU32(b, 8, 0);
    }

    /** Assembles the next packet: control chunks, SACK, FORWARD-TSN, then DATA; returns its length or 0. */
    public int build() {
        byte[] b = txBuf;
        int mtu = pmtu.plpmtu();
        header(b);
        int p = ChunkCodec.COMMON_HEADER;
        boolean cookieEchoIn = false;
        while (!st.control.isEmpty()) {
            Chunk c = st.control.peek();
            int size = ChunkCodec.size(c);
            if (p + size > mtu) {
                if (p == ChunkCodec.COMMON_HEADER) {
                    st.control.poll(); // cannot ever fit: drop it rather than stall
                    st.malformed++;
                    continue;
                }
                break;
            }
            st.control.poll();
            cookieEchoIn |= c instanceof Chunk.CookieEcho;
            p += ChunkCodec.encode(c, b, p);
        }
        boolean open = st.isOpen();
        if (open && receiver.sackDue(sender.dataWaiting()) && p + 16 <= mtu) {
            p = receiver.writeSack(b, p, mtu);
        }
        if (open) {
            p = sender.pr.writeForwardTsn(b, p, mtu);
        }
        if (open || st.state == SctpState.SHUTDOWN_SENT) {
            p = sender.writeData(b, p, mtu);
        }
        if (p == ChunkCodec.COMMON_HEADER) {
            return 0;
        }
        if (st.sendZeroChecksum && !cookieEchoIn) {
            Bytes.putU32(b, 8, 0);
        } else {
            st.checksum.seal(b, 0, p);
        }
        return p;
    }

    /** A path MTU probe (RFC 8899 6.2): HEARTBEAT and PAD, alone, of exactly the probed size. */
    public int probe() {
        byte[] b = txBuf;
        header(b);
        int len = pmtu.writeProbe(b, ChunkCodec.COMMON_HEADER, st.now);
        if (!st.sendZeroChecksum) {
            st.checksum.seal(b, 0, len);
        }
        return len;
    }
}
