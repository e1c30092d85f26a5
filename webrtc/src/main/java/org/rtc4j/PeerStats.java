package org.rtc4j;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.rtc4j.dtls.DtlsFingerprint;
import org.rtc4j.dtls.DtlsRole;
import org.rtc4j.ice.CandidatePair;
import org.rtc4j.ice.IceAgent;
import org.rtc4j.ice.IceCandidate;
import org.rtc4j.internal.PeerDriver;
import org.rtc4j.internal.TransceiverModel;
import org.rtc4j.rtp.session.RtpSession;

/**
 * The stats of a connection (W3C webrtc-stats): what its objects count, gathered into one report. The counters
 * of the connection itself (channels opened and closed, the DTLS cipher) are kept here as they happen.
 */
final class PeerStats {

    /** The one transport of a bundled connection (RFC 9143), as the stats name it. */
    static final String TRANSPORT_ID = "T01";

    long dataChannelsOpened;
    long dataChannelsClosed;
    String dtlsCipher;

    /** The report (W3C webrtc-stats): peer connection, certificates, transport, pair, candidates, channels, RTP. */
    RTCStatsReport collect(RTCCertificate certificate, RTCIceTransport iceTransport, RTCDtlsTransport dtlsTransport,
            IceAgent agent, DtlsRole dtlsRole, PeerDriver.Counters io, Collection<RTCDataChannel> channels,
            RtpSession rtp, PeerMedia media) {
        double ts = System.currentTimeMillis();
        List<RTCStats> out = new ArrayList<>();
        Map<String, Object> pcm = new HashMap<>();
        pcm.put("dataChannelsOpened", dataChannelsOpened);
        pcm.put("dataChannelsClosed", dataChannelsClosed);
        out.add(new RTCStats("peer-connection", "P", ts, pcm));
        String localCertId = "CF" + certificate.getFingerprints().get(0).value();
        out.add(certificateStats(localCertId, ts, certificate.dtlsCertificate().encoded(),
                certificate.getFingerprints().get(0)));
        String remoteCertId = null;
        List<byte[]> remoteCerts = dtlsTransport.getRemoteCertificates();
        if (!remoteCerts.isEmpty()) {
            DtlsFingerprint f = DtlsFingerprint.of(remoteCerts.get(0), DtlsFingerprint.DEFAULT_ALGORITHM);
            String sdp = f.toSdp();
            var fp = new RTCCertificate.RTCDtlsFingerprint(f.algorithm(), sdp.substring(sdp.indexOf(' ') + 1));
            remoteCertId = "CF" + fp.value();
            out.add(certificateStats(remoteCertId, ts, remoteCerts.get(0), fp));
        }
        Map<String, Object> t = new HashMap<>();
        t.put("bytesSent", io.bytesSent());
        t.put("bytesReceived", io.bytesReceived());
        t.put("packetsSent", io.packetsSent());
        t.put("packetsReceived", io.packetsReceived());
        t.put("iceRole", iceTransport.role().value());
        t.put("iceState", iceTransport.state().value());
        t.put("dtlsState", dtlsTransport.state().value());
        t.put("localCertificateId", localCertId);
        if (remoteCertId != null) {
            t.put("remoteCertificateId", remoteCertId);
        }
        if (dtlsRole != null) {
            t.put("dtlsRole", dtlsRole == DtlsRole.CLIENT ? "client" : "server");
        }
        if (dtlsCipher != null) {
            t.put("dtlsCipher", dtlsCipher);
            t.put("tlsVersion", "FEFD");
        }
        if (agent != null) {
            t.put("iceLocalUsernameFragment", agent.localCredentials().ufrag());
            CandidatePair sel = agent.selectedPair();
            Map<IceCandidate, String> ids = new IdentityHashMap<>();
            for (IceCandidate c : agent.localCandidates()) {
                String id = "I" + c.foundation() + c.port();
                ids.put(c, id);
                out.add(candidateStats("local-candidate", id, ts, c));
            }
            for (IceCandidate c : agent.remoteCandidates()) {
                String id = "R" + c.foundation() + c.port();
                ids.put(c, id);
                out.add(candidateStats("remote-candidate", id, ts, c));
            }
            if (sel != null) {
                String lid = "I" + sel.local().foundation() + sel.local().port();
                String rid = "R" + sel.remote().foundation() + sel.remote().port();
                String pid = "CP" + lid + "_" + rid;
                t.put("selectedCandidatePairId", pid);
                Map<String, Object> p = new HashMap<>();
                p.put("transportId", TRANSPORT_ID);
                p.put("localCandidateId", lid);
                p.put("remoteCandidateId", rid);
                p.put("state", "succeeded");
                p.put("nominated", true);
                p.put("bytesSent", io.bytesSent());
                p.put("bytesReceived", io.bytesReceived());
                p.put("packetsSent", io.packetsSent());
                p.put("packetsReceived", io.packetsReceived());
                out.add(new RTCStats("candidate-pair", pid, ts, p));
            }
        }
        out.add(new RTCStats("transport", TRANSPORT_ID, ts, t));
        for (RTCDataChannel ch : channels) {
            Map<String, Object> m = new HashMap<>();
            m.put("label", ch.label());
            m.put("protocol", ch.protocol());
            if (ch.id() != null) {
                m.put("dataChannelIdentifier", ch.id());
            }
            m.put("state", ch.readyState().value());
            m.put("messagesSent", ch.messagesSent);
            m.put("bytesSent", ch.bytesSent);
            m.put("messagesReceived", ch.messagesReceived);
            m.put("bytesReceived", ch.bytesReceived);
            out.add(new RTCStats("data-channel", "D" + ch.id(), ts, m));
        }
        PeerRtpStats.collect(rtp, media, ts, out);
        return new RTCStatsReport(out);
    }

    private static RTCStats certificateStats(String id, double ts, byte[] der, RTCCertificate.RTCDtlsFingerprint f) {
        return new RTCStats("certificate", id, ts, Map.of("fingerprint", f.value(), "fingerprintAlgorithm",
                f.algorithm(), "base64Certificate", Base64.getEncoder().encodeToString(der)));
    }

    private static RTCStats candidateStats(String type, String id, double ts, IceCandidate c) {
        Map<String, Object> m = new HashMap<>();
        m.put("transportId", TRANSPORT_ID);
        m.put("address", c.address());
        m.put("port", c.port());
        m.put("protocol", c.transport().token());
        m.put("candidateType", c.type().token());
        m.put("priority", c.priority());
        m.put("foundation", c.foundation());
        if (c.relatedAddress() != null) {
            m.put("relatedAddress", c.relatedAddress());
            m.put("relatedPort", c.relatedPort());
        }
        return new RTCStats(type, id, ts, m);
    }

}
