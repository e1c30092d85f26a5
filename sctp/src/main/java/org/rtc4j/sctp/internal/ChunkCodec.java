package org.rtc4j.sctp.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.rtc4j.core.ByteReader;
import org.rtc4j.core.Bytes;
import org.rtc4j.core.ParseException;

/**
 * Decodes and encodes chunks (RFC 9260 3). Every length is checked against what was received before it is
 * used, so no input makes the decoder read out of bounds or allocate more than the packet's size.
 */
public final class ChunkCodec {

    /** Size of the SCTP common header (RFC 9260 3.1). */
    public static final int COMMON_HEADER = 12;
    public static final int DATA_HEADER = 16;
    public static final int I_DATA_HEADER = 20;

    private ChunkCodec() {
    }

    /** A whole packet as models; for tests, tools and the fuzzer (the association reads in place). */
    public record Packet(int sourcePort, int destinationPort, int verificationTag, List<Chunk> chunks) {
    }

    /** Parses a packet's header and every chunk; the checksum is not verified here (see {@link Checksum}). */
    public static Packet parsePacket(ByteBuffer packet) throws ParseException {
        ByteReader r = ByteReader.of(packet);
        r.require(COMMON_HEADER, "common header");
        int src = r.u16();
        int dst = r.u16();
        int tag = r.i32();
        r.skip(4);
        List<Chunk> chunks = new ArrayList<>();
        while (r.remaining() > 0) {
            r.require(4, "chunk header");
            int type = r.u8();
            int flags = r.u8();
            int length = r.u16();
            if (length < 4) {
                throw new ParseException("chunk length " + length + " < 4");
            }
            ByteReader value = r.sub(length - 4);
            chunks.add(parseChunk(type, flags, value));
            int pad = Bytes.pad4(length) - length;
            // The last chunk's padding may be missing in sloppy packets; tolerate that.
            r.skip(Math.min(pad, r.remaining()));
        }
        return new Packet(src, dst, tag, chunks);
    }

    /** Decodes the value of one chunk (the bytes after its 4-byte header). */
    public static Chunk parseChunk(int type, int flags, ByteReader v) throws ParseException {
        switch (type) {
            case ChunkType.DATA: {
                v.require(12, "DATA header");
                int tsn = v.i32();
                int stream = v.u16();
                int ssn = v.u16();
                int ppid = v.i32();
                if (v.remaining() == 0) {
                    throw new ParseException("DATA without user data");
                }
                return new Chunk.Data(flags, tsn, stream, ssn, ppid, v.bytes(v.remaining()));
            }
            case ChunkType.I_DATA: {
                v.require(16, "I-DATA header");
                int tsn = v.i32();
                int stream = v.u16();
                v.skip(2);
                int mid = v.i32();
                int ppidOrFsn = v.i32();
                if (v.remaining() == 0) {
                    throw new ParseException("I-DATA without user data");
                }
                return new Chunk.IData(flags, tsn, stream, mid, ppidOrFsn, v.bytes(v.remaining()));
            }
            case ChunkType.INIT:
            case ChunkType.INIT_ACK:
                return parseInit(type == ChunkType.INIT_ACK, v);
            case ChunkType.SACK: {
                int cum = v.i32();
                long rwnd = v.u32();
                int gaps = v.u16();
                int dups = v.u16();
                v.require(gaps * 4 + dups * 4, "SACK blocks");
                int[] starts = new int[gaps];
                int[] ends = new int[gaps];
                for (int i = 0; i < gaps; i++) {
                    starts[i] = v.u16();
                    ends[i] = v.u16();
                }
                int[] dupTsns = new int[dups];
                for (int i = 0; i < dups; i++) {
                    dupTsns[i] = v.i32();
                }
                return new Chunk.Sack(cum, rwnd, starts, ends, dupTsns);
            }
            case ChunkType.HEARTBEAT:
            case ChunkType.HEARTBEAT_ACK: {
                v.require(4, "heartbeat info");
                int ptype = v.u16();
                int plen = v.u16();
                if (ptype != ParamType.HEARTBEAT_INFO || plen < 4) {
                    throw new ParseException("HEARTBEAT without Heartbeat Info");
                }
                return new Chunk.Heartbeat(type == ChunkType.HEARTBEAT_ACK, v.bytes(plen - 4));
            }
            case ChunkType.ABORT:
                return new Chunk.Abort((flags & 1) != 0, parseCauses(v));
            case ChunkType.SHUTDOWN:
                return new Chunk.Shutdown(v.i32());
            case ChunkType.SHUTDOWN_ACK:
                return new Chunk.ShutdownAck();
            case ChunkType.SHUTDOWN_COMPLETE:
                return new Chunk.ShutdownComplete((flags & 1) != 0);
            case ChunkType.ERROR:
                return new Chunk.Error(parseCauses(v));
            case ChunkType.COOKIE_ECHO:
                return new Chunk.CookieEcho(v.bytes(v.remaining()));
            case ChunkType.COOKIE_ACK:
                return new Chunk.CookieAck();
            case ChunkType.FORWARD_TSN: {
                int cum = v.i32();
                int n = v.remaining() / 4;
                int[] streams = new int[n];
                int[] ssns = new int[n];
                for (int i = 0; i < n; i++) {
                    streams[i] = v.u16();
                    ssns[i] = v.u16();
                }
                return new Chunk.ForwardTsn(cum, streams, ssns);
            }
            case ChunkType.I_FORWARD_TSN: {
                int cum = v.i32();
                int n = v.remaining() / 8;
                int[] streams = new int[n];
                boolean[] unordered = new boolean[n];
                int[] mids = new int[n];
                for (int i = 0; i < n; i++) {
                    streams[i] = v.u16();
                    unordered[i] = (v.u16() & 1) != 0;
                    mids[i] = v.i32();
                }
                return new Chunk.IForwardTsn(cum, streams, unordered, mids);
            }
            case ChunkType.RE_CONFIG:
                return parseReConfig(v);
            case ChunkType.PAD:
                return new Chunk.Pad(v.remaining()); // RFC 4820 3: the content is ignored
            default:
                return new Chunk.Unknown(type, flags, v.bytes(v.remaining()));
        }
    }

    private static Chunk.Init parseInit(boolean ack, ByteReader v) throws ParseException {
        int tag = v.i32();
        long rwnd = v.u32();
        int os = v.u16();
        int mis = v.u16();
        int tsn = v.i32();
        if (tag == 0) {
            throw new ParseException("INIT with initiate tag 0");
        }
        if (os == 0 || mis == 0) {
            throw new ParseException("INIT with zero streams");
        }
        byte[] extensions = null;
        boolean forwardTsn = false;
        int edmid = -1;
        byte[] cookie = null;
        List<byte[]> unrecognized = new ArrayList<>(0);
        while (v.remaining() >= 4) {
            int ptype = v.u16();
            int plen = v.u16();
            if (plen < 4) {
                throw new ParseException("parameter length " + plen);
            }
            ByteReader p = v.sub(plen - 4);
            v.skip(Math.min(Bytes.pad4(plen) - plen, v.remaining()));
            switch (ptype) {
                case ParamType.SUPPORTED_EXTENSIONS -> extensions = p.bytes(p.remaining());
                case ParamType.FORWARD_TSN_SUPPORTED -> forwardTsn = true;
                case ParamType.ZERO_CHECKSUM_ACCEPTABLE -> edmid = p.i32();
                case ParamType.STATE_COOKIE -> cookie = p.bytes(p.remaining());
                case ParamType.COOKIE_PRESERVATIVE, 5, 6, 11, 12 -> {
                    // addresses and host names: no multihoming over DTLS (RFC 8261 4)
                }
                default -> {
                    // RFC 9260 3.2.1: the two high bits say whether to report it.
                    if ((ptype & 0x4000) != 0 && unrecognized.size() < 8) {
                        byte[] raw = new byte[plen];
                        Bytes.putU16(raw, 0, ptype);
                        Bytes.putU16(raw, 2, plen);
                        p.position(0);
                        p.read(raw, 4, plen - 4);
                        unrecognized.add(raw);
                    }
                    if ((ptype & 0x8000) == 0) {
                        // "stop processing": ignore the remaining parameters
                        v.skip(v.remaining());
                    }
                }
            }
        }
        if (ack && cookie == null) {
            throw new ParseException("INIT-ACK without state cookie");
        }
        return new Chunk.Init(ack, tag, rwnd, os, mis, tsn, extensions, forwardTsn, edmid, cookie, unrecognized);
    }

    private static List<Chunk.ErrorCause> parseCauses(ByteReader v) throws ParseException {
        List<Chunk.ErrorCause> causes = new ArrayList<>(1);
        while (v.remaining() >= 4) {
            int code = v.u16();
            int len = v.u16();
            if (len < 4) {
                throw new ParseException("error cause length " + len);
            }
            causes.add(new Chunk.ErrorCause(code, v.bytes(len - 4)));
            v.skip(Math.min(Bytes.pad4(len) - len, v.remaining()));
        }
        return causes;
    }

    private static Chunk.ReConfig parseReConfig(ByteReader v) throws ParseException {
        List<ReConfigParam> params = new ArrayList<>(2);
        while (v.remaining() >= 4) {
            int ptype = v.u16();
            int plen = v.u16();
            if (plen < 4) {
                throw new ParseException("RE-CONFIG parameter length " + plen);
            }
            ByteReader p = v.sub(plen - 4);
            v.skip(Math.min(Bytes.pad4(plen) - plen, v.remaining()));
            params.add(switch (ptype) {
                case ParamType.OUTGOING_SSN_RESET -> {
                    int req = p.i32();
                    int resp = p.i32();
                    int last = p.i32();
                    yield new ReConfigParam.OutgoingReset(req, resp, last, streams(p));
                }
                case ParamType.INCOMING_SSN_RESET -> {
                    int req = p.i32();
                    yield new ReConfigParam.IncomingReset(req, streams(p));
                }
                case ParamType.SSN_TSN_RESET -> new ReConfigParam.SsnTsnReset(p.i32());
                case ParamType.RECONFIG_RESPONSE -> {
                    int seq = p.i32();
                    int result = p.i32();
                    if (p.remaining() >= 8) {
                        yield new ReConfigParam.Response(seq, result, true, p.i32(), p.i32());
                    }
                    yield new ReConfigParam.Response(seq, result, false, 0, 0);
                }
                case ParamType.ADD_OUTGOING_STREAMS, ParamType.ADD_INCOMING_STREAMS -> {
                    int req = p.i32();
                    int count = p.u16();
                    yield new ReConfigParam.AddStreams(ptype == ParamType.ADD_OUTGOING_STREAMS, req, count);
                }
                default -> new ReConfigParam.Unknown(ptype, p.bytes(p.remaining()));
            });
            if (params.size() > 2) {
                throw new ParseException("RE-CONFIG with more than two parameters");
            }
        }
        if (params.isEmpty()) {
            throw new ParseException("RE-CONFIG without parameters");
        }
        return new Chunk.ReConfig(params);
    }

    private static int[] streams(ByteReader p) throws ParseException {
        int n = p.remaining() / 2;
        int[] s = new int[n];
        for (int i = 0; i < n; i++) {
            s[i] = p.u16();
        }
        return s;
    }

    // ---------------------------------------------------------------------------------------------------
    // Encoding

    /** The encoded size of a chunk, padding included. */
    public static int size(Chunk c) {
        return Bytes.pad4(unpaddedSize(c));
    }

    private static int unpaddedSize(Chunk c) {
        return switch (c) {
            case Chunk.Data d -> DATA_HEADER + d.payload().length;
            case Chunk.IData d -> I_DATA_HEADER + d.payload().length;
            case Chunk.Init i -> 20 + initParamsSize(i);
            case Chunk.Sack s -> 16 + 4 * s.gapStarts().length + 4 * s.dupTsns().length;
            case Chunk.Heartbeat h -> 8 + h.info().length;
            case Chunk.Abort a -> 4 + causesSize(a.causes());
            case Chunk.Shutdown s -> 8;
            case Chunk.ShutdownAck s -> 4;
            case Chunk.ShutdownComplete s -> 4;
            case Chunk.Error e -> 4 + causesSize(e.causes());
            case Chunk.CookieEcho e -> 4 + e.cookie().length;
            case Chunk.CookieAck a -> 4;
            case Chunk.ForwardTsn f -> 8 + 4 * f.streams().length;
            case Chunk.IForwardTsn f -> 8 + 8 * f.streams().length;
            case Chunk.ReConfig r -> {
                int n = 4;
                for (ReConfigParam p : r.params()) {
                    n += Bytes.pad4(paramSize(p));
                }
                yield n;
            }
            case Chunk.Pad pad -> 4 + pad.padding();
            case Chunk.Unknown u -> 4 + u.value().length;
        };
    }

    private static int initParamsSize(Chunk.Init i) {
        int n = 0;
        if (i.supportedExtensions() != null) {
            n += Bytes.pad4(4 + i.supportedExtensions().length);
        }
        if (i.forwardTsn()) {
            n += 4;
        }
        if (i.zeroChecksumEdmid() >= 0) {
            n += 8;
        }
        if (i.cookie() != null) {
            n += Bytes.pad4(4 + i.cookie().length);
        }
        for (byte[] u : i.unrecognized()) {
            n += 4 + Bytes.pad4(u.length);
        }
        return n;
    }

    private static int causesSize(List<Chunk.ErrorCause> causes) {
        int n = 0;
        for (Chunk.ErrorCause c : causes) {
            n += Bytes.pad4(4 + c.info().length);
        }
        return n;
    }

    private static int paramSize(ReConfigParam p) {
        return switch (p) {
            case ReConfigParam.OutgoingReset o -> 16 + 2 * o.streams().length;
            case ReConfigParam.IncomingReset i -> 8 + 2 * i.streams().length;
            case ReConfigParam.SsnTsnReset s -> 8;
            case ReConfigParam.Response r -> r.hasTsns() ? 20 : 12;
            case ReConfigParam.AddStreams a -> 12;
            case ReConfigParam.Unknown u -> 4 + u.value().length;
        };
    }

    /** Writes a chunk at {@code off} (with zeroed padding) and returns the number of bytes written. */
    public static int encode(Chunk c, byte[] b, int off) {
        int len = unpaddedSize(c);
        int flags = switch (c) {
            case Chunk.Data d -> d.flags();
            case Chunk.IData d -> d.flags();
            case Chunk.Abort a -> a.tBit() ? 1 : 0;
            case Chunk.ShutdownComplete s -> s.tBit() ? 1 : 0;
            case Chunk.Unknown u -> u.flags();
            default -> 0;
        };
        b[off] = (byte) c.type();
        b[off + 1] = (byte) flags;
        Bytes.putU16(b, off + 2, len);
        int p = off + 4;
        switch (c) {
            case Chunk.Data d -> {
                Bytes.putU32(b, p, d.tsn());
                Bytes.putU16(b, p + 4, d.stream());
                Bytes.putU16(b, p + 6, d.ssn());
                Bytes.putU32(b, p + 8, d.ppid());
                System.arraycopy(d.payload(), 0, b, p + 12, d.payload().length);
            }
            case Chunk.IData d -> {
                Bytes.putU32(b, p, d.tsn());
                Bytes.putU16(b, p + 4, d.stream());
                Bytes.putU16(b, p + 6, 0);
                Bytes.putU32(b, p + 8, d.mid());
                Bytes.putU32(b, p + 12, d.ppidOrFsn());
                System.arraycopy(d.payload(), 0, b, p + 16, d.payload().length);
            }
            case Chunk.Init i -> {
                Bytes.putU32(b, p, i.initiateTag());
                Bytes.putU32(b, p + 4, i.aRwnd());
                Bytes.putU16(b, p + 8, i.outboundStreams());
                Bytes.putU16(b, p + 10, i.inboundStreams());
                Bytes.putU32(b, p + 12, i.initialTsn());
                p += 16;
                if (i.cookie() != null) {
                    p = putParam(b, p, ParamType.STATE_COOKIE, i.cookie());
                }
                if (i.supportedExtensions() != null) {
                    p = putParam(b, p, ParamType.SUPPORTED_EXTENSIONS, i.supportedExtensions());
                }
                if (i.forwardTsn()) {
                    p = putParam(b, p, ParamType.FORWARD_TSN_SUPPORTED, new byte[0]);
                }
                if (i.zeroChecksumEdmid() >= 0) {
                    byte[] e = new byte[4];
                    Bytes.putU32(e, 0, i.zeroChecksumEdmid());
                    p = putParam(b, p, ParamType.ZERO_CHECKSUM_ACCEPTABLE, e);
                }
                for (byte[] u : i.unrecognized()) {
                    p = putParam(b, p, ParamType.UNRECOGNIZED_PARAMETER, u);
                }
            }
            case Chunk.Sack s -> {
                Bytes.putU32(b, p, s.cumTsn());
                Bytes.putU32(b, p + 4, s.aRwnd());
                Bytes.putU16(b, p + 8, s.gapStarts().length);
                Bytes.putU16(b, p + 10, s.dupTsns().length);
                p += 12;
                for (int k = 0; k < s.gapStarts().length; k++) {
                    Bytes.putU16(b, p, s.gapStarts()[k]);
                    Bytes.putU16(b, p + 2, s.gapEnds()[k]);
                    p += 4;
                }
                for (int dup : s.dupTsns()) {
                    Bytes.putU32(b, p, dup);
                    p += 4;
                }
            }
            case Chunk.Heartbeat h -> putParam(b, p, ParamType.HEARTBEAT_INFO, h.info());
            case Chunk.Abort a -> putCauses(b, p, a.causes());
            case Chunk.Shutdown s -> Bytes.putU32(b, p, s.cumTsn());
            case Chunk.Error e -> putCauses(b, p, e.causes());
            case Chunk.CookieEcho e -> System.arraycopy(e.cookie(), 0, b, p, e.cookie().length);
            case Chunk.ForwardTsn f -> {
                Bytes.putU32(b, p, f.newCumTsn());
                p += 4;
                for (int k = 0; k < f.streams().length; k++) {
                    Bytes.putU16(b, p, f.streams()[k]);
                    Bytes.putU16(b, p + 2, f.ssns()[k]);
                    p += 4;
                }
            }
            case Chunk.IForwardTsn f -> {
                Bytes.putU32(b, p, f.newCumTsn());
                p += 4;
                for (int k = 0; k < f.streams().length; k++) {
                    Bytes.putU16(b, p, f.streams()[k]);
                    Bytes.putU16(b, p + 2, f.unordered()[k] ? 1 : 0);
                    Bytes.putU32(b, p + 4, f.mids()[k]);
                    p += 8;
                }
            }
            case Chunk.ReConfig r -> {
                for (ReConfigParam param : r.params()) {
                    p = putReConfigParam(b, p, param);
                }
            }
            case Chunk.Pad pad -> java.util.Arrays.fill(b, p, p + pad.padding(), (byte) 0);
            case Chunk.Unknown u -> System.arraycopy(u.value(), 0, b, p, u.value().length);
            case Chunk.ShutdownAck s -> {
            }
            case Chunk.ShutdownComplete s -> {
            }
            case Chunk.CookieAck a -> {
            }
        }
        int padded = Bytes.pad4(len);
        for (int k = len; k < padded; k++) {
            b[off + k] = 0;
        }
        return padded;
    }

    private static int putParam(byte[] b, int p, int type, byte[] value) {
        Bytes.putU16(b, p, type);
        Bytes.putU16(b, p + 2, 4 + value.length);
        System.arraycopy(value, 0, b, p + 4, value.length);
        int end = p + Bytes.pad4(4 + value.length);
        for (int k = p + 4 + value.length; k < end; k++) {
            b[k] = 0;
        }
        return end;
    }

    private static void putCauses(byte[] b, int p, List<Chunk.ErrorCause> causes) {
        for (Chunk.ErrorCause c : causes) {
            p = putParam(b, p, c.code(), c.info());
        }
    }

    private static int putReConfigParam(byte[] b, int p, ReConfigParam param) {
        int len = paramSize(param);
        int type = switch (param) {
            case ReConfigParam.OutgoingReset o -> ParamType.OUTGOING_SSN_RESET;
            case ReConfigParam.IncomingReset i -> ParamType.INCOMING_SSN_RESET;
            case ReConfigParam.SsnTsnReset s -> ParamType.SSN_TSN_RESET;
            case ReConfigParam.Response r -> ParamType.RECONFIG_RESPONSE;
            case ReConfigParam.AddStreams a -> a.outgoing() ? ParamType.ADD_OUTGOING_STREAMS
                    : ParamType.ADD_INCOMING_STREAMS;
            case ReConfigParam.Unknown u -> u.paramType();
        };
        Bytes.putU16(b, p, type);
        Bytes.putU16(b, p + 2, len);
        int q = p + 4;
        switch (param) {
            case ReConfigParam.OutgoingReset o -> {
                Bytes.putU32(b, q, o.requestSeq());
                Bytes.putU32(b, q + 4, o.responseSeq());
                Bytes.putU32(b, q + 8, o.lastTsn());
                q += 12;
                for (int s : o.streams()) {
                    Bytes.putU16(b, q, s);
                    q += 2;
                }
            }
            case ReConfigParam.IncomingReset i -> {
                Bytes.putU32(b, q, i.requestSeq());
                q += 4;
                for (int s : i.streams()) {
                    Bytes.putU16(b, q, s);
                    q += 2;
                }
            }
            case ReConfigParam.SsnTsnReset s -> Bytes.putU32(b, q, s.requestSeq());
            case ReConfigParam.Response r -> {
                Bytes.putU32(b, q, r.responseSeq());
                Bytes.putU32(b, q + 4, r.result());
                if (r.hasTsns()) {
                    Bytes.putU32(b, q + 8, r.senderNextTsn());
                    Bytes.putU32(b, q + 12, r.receiverNextTsn());
                }
            }
            case ReConfigParam.AddStreams a -> {
                Bytes.putU32(b, q, a.requestSeq());
                Bytes.putU16(b, q + 4, a.count());
                Bytes.putU16(b, q + 6, 0);
            }
            case ReConfigParam.Unknown u -> System.arraycopy(u.value(), 0, b, q, u.value().length);
        }
        int end = p + Bytes.pad4(len);
        for (int k = p + len; k < end; k++) {
            b[k] = 0;
        }
        return end;
    }
}
