package org.rtc4j.dtls.internal.loop;

import java.util.Arrays;

/**
 * ClientHello, ServerHello and HelloVerifyRequest bodies (RFC 6347 section 4.2.1, RFC 5246 section 7.4.1) and
 * the extensions WebRTC's DTLS uses:
 *
 * <pre>
 *   ClientHello: version[2] random[32] session_id&lt;0..32&gt; cookie&lt;0..255&gt; cipher_suites&lt;2..2^16-2&gt;
 *                compression_methods&lt;1..255&gt; extensions&lt;0..2^16-1&gt;
 *   ServerHello: version[2] random[32] session_id&lt;0..32&gt; cipher_suite[2] compression[1] extensions
 *   HelloVerifyRequest: version[2] cookie&lt;0..255&gt;
 *   Extension: type[2] data&lt;0..2^16-1&gt;
 * </pre>
 *
 * supported_groups (RFC 8422 5.1.1), ec_point_formats (5.1.2), signature_algorithms (RFC 5246 7.4.1.4.1),
 * use_srtp (RFC 5764 4.1.1), extended_master_secret (RFC 7627 5.1), renegotiation_info (RFC 5746 3.2).
 */
final class Hello {

    static final int VERSION_DTLS12 = 0xFEFD;
    static final int EXT_SUPPORTED_GROUPS = 10;
    static final int EXT_POINT_FORMATS = 11;
    static final int EXT_SIGNATURE_ALGORITHMS = 13;
    static final int EXT_USE_SRTP = 14;
    static final int EXT_EXTENDED_MASTER_SECRET = 23;
    static final int EXT_RENEGOTIATION_INFO = 0xFF01;
    /** RFC 5746 section 3.3: the SCSV a client may send instead of an empty renegotiation_info. */
    static final int SCSV_RENEGOTIATION = 0x00FF;

    private Hello() {
    }

    /** The extensions we read; {@code null} arrays for those absent. */
    static final class Extensions {
        boolean extendedMasterSecret;
        boolean renegotiationInfo;
        int[] groups;
        int[] signatureAlgorithms;
        int[] srtpProfiles;
        byte[] srtpMki = new byte[0];

        static Extensions read(Wire.Reader r) throws Wire.Malformed {
            Extensions e = new Extensions();
            if (r.left() == 0) {
                return e;       // no extensions block at all (RFC 5246 7.4.1.2)
            }
            Wire.Reader all = r.vector(2);
            long seen = 0;
            while (all.left() > 0) {
                int type = all.u16();
                Wire.Reader data = all.vector(2);
                int bit = type == EXT_RENEGOTIATION_INFO ? 63 : Math.min(type, 62);
                if (bit < 62 && (seen & (1L << bit)) != 0) {
                    throw new Wire.Malformed("extension " + type + " twice");   // RFC 5246 7.4.1.4
                }
                seen |= 1L << bit;
                switch (type) {
                    case EXT_SUPPORTED_GROUPS -> e.groups = u16List(data.vector(2));
                    case EXT_SIGNATURE_ALGORITHMS -> e.signatureAlgorithms = u16List(data.vector(2));
                    case EXT_USE_SRTP -> {
                        e.srtpProfiles = u16List(data.vector(2));
                        e.srtpMki = data.opaque(1);
                    }
                    case EXT_EXTENDED_MASTER_SECRET -> e.extendedMasterSecret = true;
                    case EXT_RENEGOTIATION_INFO -> {
                        if (data.opaque(1).length != 0) {
                            throw new Wire.Malformed("renegotiation_info of a first handshake is empty");
                        }
                        e.renegotiationInfo = true;
                    }
                    default -> {
                        continue;   // not ours to understand (the data was skipped with its vector)
                    }
                }
                data.end();
            }
            return e;
        }

        private static int[] u16List(Wire.Reader r) throws Wire.Malformed {
            if (r.left() % 2 != 0) {
                throw new Wire.Malformed("odd length of a list of 16-bit values");
            }
            int[] v = new int[r.left() / 2];
            for (int i = 0; i < v.length; i++) {
                v[i] = r.u16();
            }
            return v;
        }
    }

    record ClientHello(int version, byte[] random, byte[] cookie, int[] suites, Extensions extensions) {

        static ClientHello read(byte[] body) throws Wire.Malformed {
            Wire.Reader r = new Wire.Reader(body);
            int version = r.u16();
            byte[] random = randomAndSession(r);
            byte[] cookie = r.opaque(1);
            Wire.Reader suites = r.vector(2);
            int[] s = Extensions.u16List(suites);
            byte[] compression = r.opaque(1);
            boolean nullCompression = false;
            for (byte c : compression) {
                nullCompression |= c == 0;
            }
            if (!nullCompression) {
                throw new Wire.Malformed("no null compression offered");
            }
            Extensions e = Extensions.read(r);
            r.end();
            if (contains(s, SCSV_RENEGOTIATION)) {
                e.renegotiationInfo = true;
            }
            return new ClientHello(version, random, cookie, s, e);
        }

        byte[] write(int[] groups, int[] signatureAlgorithms, int[] srtpProfiles) {
            Wire.Writer w = new Wire.Writer().u16(version).bytes(random).u8(0).opaque(1, cookie);
            int list = w.open(2);
            for (int s : suites) {
                w.u16(s);
            }
            w.close(list).u8(1).u8(0);
            int exts = w.open(2);
            extension(w, EXT_SUPPORTED_GROUPS, u16Vector(groups));
            extension(w, EXT_POINT_FORMATS, new byte[] {1, 0});
            extension(w, EXT_SIGNATURE_ALGORITHMS, u16Vector(signatureAlgorithms));
            if (srtpProfiles.length > 0) {
                extension(w, EXT_USE_SRTP, KeySchedule.concat(u16Vector(srtpProfiles), new byte[] {0}));
            }
            extension(w, EXT_EXTENDED_MASTER_SECRET, new byte[0]);
            extension(w, EXT_RENEGOTIATION_INFO, new byte[] {0});
            return w.close(exts).toArray();
        }
    }

    record ServerHello(int version, byte[] random, int suite, Extensions extensions) {

        static ServerHello read(byte[] body) throws Wire.Malformed {
            Wire.Reader r = new Wire.Reader(body);
            int version = r.u16();
            byte[] random = randomAndSession(r);
            int suite = r.u16();
            if (r.u8() != 0) {
                throw new Wire.Malformed("compression other than null");
            }
            Extensions e = Extensions.read(r);
            r.end();
            return new ServerHello(version, random, suite, e);
        }

        /** Only extensions the client offered come back (RFC 5246 7.4.1.4). */
        static byte[] write(byte[] random, int suite, int srtpProfile, byte[] srtpMki, boolean pointFormats) {
            Wire.Writer w = new Wire.Writer().u16(VERSION_DTLS12).bytes(random).u8(0).u16(suite).u8(0);
            int exts = w.open(2);
            extension(w, EXT_EXTENDED_MASTER_SECRET, new byte[0]);
            extension(w, EXT_RENEGOTIATION_INFO, new byte[] {0});
            if (srtpProfile > 0) {
                extension(w, EXT_USE_SRTP, new Wire.Writer().u16(2).u16(srtpProfile).opaque(1, srtpMki).toArray());
            }
            if (pointFormats) {
                extension(w, EXT_POINT_FORMATS, new byte[] {1, 0});
            }
            return w.close(exts).toArray();
        }
    }

    /** random[32] and session_id&lt;0..32&gt; (ignored: no resumption), which both hellos carry. */
    private static byte[] randomAndSession(Wire.Reader r) throws Wire.Malformed {
        byte[] random = r.bytes(32);
        if (r.opaque(1).length > 32) {
            throw new Wire.Malformed("session_id over 32 bytes");
        }
        return random;
    }

    /** HelloVerifyRequest: the cookie to send back in a second ClientHello. */
    static byte[] readCookie(byte[] body) throws Wire.Malformed {
        Wire.Reader r = new Wire.Reader(body);
        r.u16();
        byte[] cookie = r.opaque(1);
        r.end();
        if (cookie.length == 0) {
            throw new Wire.Malformed("empty cookie");
        }
        return cookie;
    }

    static boolean contains(int[] values, int value) {
        return values != null && Arrays.stream(values).anyMatch(v -> v == value);
    }

    private static void extension(Wire.Writer w, int type, byte[] data) {
        w.u16(type).opaque(2, data);
    }

    private static byte[] u16Vector(int[] values) {
        Wire.Writer w = new Wire.Writer().u16(values.length * 2);
        for (int v : values) {
            w.u16(v);
        }
        return w.toArray();
    }
}
