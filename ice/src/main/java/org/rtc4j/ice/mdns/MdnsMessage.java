package org.rtc4j.ice.mdns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.rtc4j.core.ByteReader;
import org.rtc4j.core.ParseException;

/**
 * The DNS message format (RFC 1035 section 4.1) as multicast DNS uses it (RFC 6762), for address lookups
 * only: writes one-shot A/AAAA queries and reads the address records of responses. Bounded: a response
 * yields at most {@link #MAX_RECORDS} records, names are at most 255 bytes, compression pointers only point
 * backwards and at most {@link #MAX_POINTERS} times per name, so no input loops or allocates without bound.
 */
public final class MdnsMessage {

    /** RFC 1035 section 3.2.2 and RFC 3596 section 2.1. */
    public static final int TYPE_A = 1;
    public static final int TYPE_AAAA = 28;
    static final int CLASS_IN = 1;
    /** RFC 6762 section 5.4: the top bit of a question's class asks for a unicast response (QU). */
    static final int QU = 0x8000;
    /** RFC 6762 section 10.2: the top bit of a record's class is the cache-flush bit, not part of the class. */
    static final int CACHE_FLUSH = 0x8000;
    static final int MAX_RECORDS = 64;
    static final int MAX_QUESTIONS = 16;
    static final int MAX_POINTERS = 16;
    static final int MAX_NAME = 255;

    private MdnsMessage() {
    }

    /**
     * A query for the A and AAAA records of {@code name}. RFC 6762 section 6.7: sent from a port other than
     * 5353 this is a legacy one-shot query, which responders answer by unicast to its source, echoing the id.
     *
     * @throws IllegalArgumentException when the name is not a DNS name of 63-byte labels and 255 bytes
     */
    public static ByteBuffer query(int id, String name) {
        byte[] encoded = encodeName(name);
        ByteBuffer b = ByteBuffer.allocate(12 + 2 * (encoded.length + 4));
        b.putShort((short) id).putShort((short) 0); // QR 0, opcode 0 (RFC 6762 section 18.2, 18.3)
        b.putShort((short) 2).putShort((short) 0).putShort((short) 0).putShort((short) 0);
        for (int type : new int[] {TYPE_A, TYPE_AAAA}) {
            b.put(encoded).putShort((short) type).putShort((short) (CLASS_IN | QU));
        }
        return b.flip();
    }

    /**
     * A response carrying address records (for responders in tests and tools): {@code ttl} for each, the
     * cache-flush bit set as RFC 6762 section 10.2 asks of unique records.
     */
    public static ByteBuffer response(int id, String name, Duration ttl, InetAddress... addresses) {
        byte[] encoded = encodeName(name);
        ByteBuffer b = ByteBuffer.allocate(12 + addresses.length * (encoded.length + 10 + 16));
        b.putShort((short) id).putShort((short) 0x8400); // QR 1, AA 1 (RFC 6762 section 18.4)
        b.putShort((short) 0).putShort((short) addresses.length).putShort((short) 0).putShort((short) 0);
        for (InetAddress a : addresses) {
            byte[] raw = a.getAddress();
            b.put(encoded).putShort((short) (raw.length == 4 ? TYPE_A : TYPE_AAAA))
                    .putShort((short) (CLASS_IN | CACHE_FLUSH)).putInt((int) Math.min(ttl.toSeconds(), 0x7FFF_FFFFL))
                    .putShort((short) raw.length).put(raw);
        }
        return b.flip();
    }

    /**
     * The id of a query (QR 0) that asks for {@code name}'s addresses; for responders in tests and tools.
     *
     * @throws ParseException when it is not such a query
     */
    public static int queryId(ByteBuffer data, String name) throws ParseException {
        ByteReader r = ByteReader.of(data);
        int id = r.u16();
        int flags = r.u16();
        int questions = r.u16();
        r.skip(6);
        if ((flags & 0x8000) != 0 || questions > MAX_QUESTIONS) {
            throw new ParseException("not a query");
        }
        String wanted = name.toLowerCase(Locale.ROOT);
        for (int i = 0; i < questions; i++) {
            String q = readName(r);
            int type = r.u16();
            r.u16();
            if (q.equals(wanted) && (type == TYPE_A || type == TYPE_AAAA)) {
                return id;
            }
        }
        throw new ParseException("no question for " + name);
    }

    /**
     * The A and AAAA records of a response, from its answer, authority and additional sections (RFC 6762
     * section 6: responders may put them in any). Other records are skipped. Queries, messages with another
     * opcode or a non-zero rcode yield nothing (RFC 6762 section 18.2, 18.3, 18.11).
     *
     * @throws ParseException when the message is malformed or over the bounds
     */
    public static List<MdnsRecord> addresses(ByteBuffer data) throws ParseException {
        ByteReader r = ByteReader.of(data);
        r.u16(); // id: zero in multicast responses, echoed in legacy unicast ones; names are matched instead
        int flags = r.u16();
        int questions = r.u16();
        int records = r.u16() + r.u16() + r.u16();
        if ((flags & 0x8000) == 0 || (flags & 0x7800) != 0 || (flags & 0x000F) != 0) {
            return List.of();
        }
        if (questions > MAX_QUESTIONS || records > MAX_RECORDS) {
            throw new ParseException("too many questions or records: " + questions + ", " + records);
        }
        for (int i = 0; i < questions; i++) {
            readName(r);
            r.skip(4);
        }
        List<MdnsRecord> out = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            String name = readName(r);
            int type = r.u16();
            int cls = r.u16() & ~CACHE_FLUSH;
            long ttl = r.u32();
            int length = r.u16();
            r.require(length, "rdata");
            if (cls == CLASS_IN && ((type == TYPE_A && length == 4) || (type == TYPE_AAAA && length == 16))) {
                byte[] raw = r.bytes(length);
                InetAddress ip;
                try {
                    ip = InetAddress.getByAddress(raw);
                } catch (UnknownHostException impossible) {
                    throw new ParseException("address of " + length + " bytes");
                }
                // RFC 2181 section 8: a TTL with the top bit set is read as zero.
                out.add(new MdnsRecord(name, ip, Duration.ofSeconds(ttl > 0x7FFF_FFFFL ? 0 : ttl)));
            } else {
                r.skip(length);
            }
        }
        return out;
    }

    /** RFC 1035 section 4.1.4: labels, or a pointer to an earlier name; lower-cased for comparison. */
    static String readName(ByteReader r) throws ParseException {
        StringBuilder s = new StringBuilder(48);
        int resume = -1;
        int pointers = 0;
        int length = 0;
        while (true) {
            int start = r.position();
            int len = r.u8();
            if (len == 0) {
                break;
            }
            if ((len & 0xC0) == 0xC0) {
                int target = ((len & 0x3F) << 8) | r.u8();
                // Only backwards, and a few times: no loop can form.
                if (target >= start || ++pointers > MAX_POINTERS) {
                    throw new ParseException("bad name pointer " + target + " at " + start);
                }
                if (resume < 0) {
                    resume = r.position();
                }
                r.position(target);
                continue;
            }
            if ((len & 0xC0) != 0) {
                throw new ParseException("unknown label type " + len);
            }
            length += len + 1;
            if (length > MAX_NAME) {
                throw new ParseException("name longer than 255 bytes");
            }
            r.require(len, "label");
            if (!s.isEmpty()) {
                s.append('.');
            }
            for (int i = 0; i < len; i++) {
                int c = r.u8();
                s.append((char) (c >= 'A' && c <= 'Z' ? c + 32 : c));
            }
        }
        if (resume >= 0) {
            r.position(resume);
        }
        return s.toString();
    }

    private static byte[] encodeName(String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        byte[] ascii = n.getBytes(StandardCharsets.US_ASCII);
        if (n.isEmpty() || ascii.length + 2 > MAX_NAME) {
            throw new IllegalArgumentException("bad DNS name '" + name + "'");
        }
        ByteBuffer b = ByteBuffer.allocate(ascii.length + 2);
        for (String label : n.split("\\.", -1)) {
            byte[] l = label.getBytes(StandardCharsets.US_ASCII);
            if (l.length == 0 || l.length > 63) {
                throw new IllegalArgumentException("bad DNS label in '" + name + "'");
            }
            b.put((byte) l.length).put(l);
        }
        b.put((byte) 0);
        return b.array();
    }
}
