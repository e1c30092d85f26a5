package org.rtc4j.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code a=simulcast:<send|recv> <streams> [<send|recv> <streams>]} (RFC 8853 section 5.1), e.g.
 * {@code a=simulcast:send h;m;~l}: the simulcast streams in each direction, each a list of alternatives
 * ({@code ,}) of rids, a {@code ~} marking a stream that starts paused.
 *
 * @param send the streams sent by the writer of the description, each a list of alternative rids
 * @param receive the streams it receives
 */
public record Simulcast(List<List<Stream>> send, List<List<Stream>> receive) {

    /** One simulcast stream identifier. */
    public record Stream(String rid, boolean paused) {

        @Override
        public String toString() {
            return paused ? "~" + rid : rid;
        }
    }

    public Simulcast {
        send = send.stream().map(List::copyOf).toList();
        receive = receive.stream().map(List::copyOf).toList();
    }

    /** Parses the value of {@code a=simulcast}. */
    public static Simulcast parse(String value) throws SdpParseException {
        String[] f = value.strip().split(" ", -1);
        if (f.length != 2 && f.length != 4) {
            throw new SdpParseException(0, "a=simulcast must be send|recv <streams> [send|recv <streams>]");
        }
        List<List<Stream>> send = null;
        List<List<Stream>> receive = null;
        for (int i = 0; i < f.length; i += 2) {
            List<List<Stream>> streams = streams(f[i + 1]);
            if (f[i].equals("send") && send == null) {
                send = streams;
            } else if (f[i].equals("recv") && receive == null) {
                receive = streams;
            } else {
                throw new SdpParseException(0, "a=simulcast direction must be send or recv, each at most once: " + f[i]);
            }
        }
        return new Simulcast(send == null ? List.of() : send, receive == null ? List.of() : receive);
    }

    private static List<List<Stream>> streams(String list) throws SdpParseException {
        List<List<Stream>> out = new ArrayList<>();
        for (String alternatives : list.split(";", -1)) {
            List<Stream> alt = new ArrayList<>();
            for (String id : alternatives.split(",", -1)) {
                boolean paused = id.startsWith("~");
                String rid = paused ? id.substring(1) : id;
                if (!Rid.isRidId(rid)) {
                    throw new SdpParseException(0, "a=simulcast stream id must be [~]<rid-id>: " + id);
                }
                alt.add(new Stream(rid, paused));
            }
            out.add(alt);
        }
        return out;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (!send.isEmpty()) {
            sb.append("send ").append(write(send));
        }
        if (!receive.isEmpty()) {
            sb.append(sb.isEmpty() ? "" : " ").append("recv ").append(write(receive));
        }
        return sb.toString();
    }

    private static String write(List<List<Stream>> streams) {
        return String.join(";", streams.stream()
                .map(alt -> String.join(",", alt.stream().map(Stream::toString).toList())).toList());
    }
}
