package org.rtc4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rtc4j.RTCConfiguration;
import org.rtc4j.RTCIceServer;
import org.rtc4j.signaling.internal.PlainHttp;
import org.rtc4j.transfer.SignalingRendezvous;
import org.rtc4j.transfer.TransferOptions;
import picocli.CommandLine.Option;

/**
 * The rendezvous options {@code send} and {@code receive} share: the demo server (flag, else
 * {@code RTC4J_SERVER}, else the README's {@code http://localhost:8080}), whose signaling pairs the two ends
 * and whose {@code /api/ice-servers} names the STUN and TURN servers to use.
 */
final class TransferServer {

    static final String DEFAULT = "http://localhost:8080";

    @Option(names = "--server", description = "the rtc4j demo server (env RTC4J_SERVER; default " + DEFAULT + ")")
    String server;

    Map<String, String> env = System.getenv();

    /** The server's base URL as given. */
    String url() {
        if (server != null) {
            return server;
        }
        String e = env.get("RTC4J_SERVER");
        return e != null && !e.isBlank() ? e : DEFAULT;
    }

    /** The server's HTTP base URL, as the transfer page's link needs it ({@code http://host:port}). */
    String httpUrl() {
        URI ws = SignalingRendezvous.signalingUri(url());
        return (ws.getScheme().equals("wss") ? "https" : "http") + "://" + ws.getRawAuthority();
    }

    SignalingRendezvous rendezvous() {
        return new SignalingRendezvous(SignalingRendezvous.signalingUri(url()));
    }

    /** Transfer options with the server's ICE servers (none when it does not answer: host candidates only). */
    TransferOptions options() {
        return TransferOptions.defaults().withSettings(PeerCommand.settings())
                .withConfiguration(RTCConfiguration.defaults().withIceServers(iceServers()));
    }

    private List<RTCIceServer> iceServers() {
        List<RTCIceServer> list = new ArrayList<>();
        try {
            URI api = URI.create(httpUrl() + "/api/ice-servers");
            HttpResponse<String> r = PlainHttp.clientFor(api).send(HttpRequest.newBuilder(api)
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return list;
            }
            for (JsonNode s : new ObjectMapper().readTree(r.body()).path("iceServers")) {
                List<String> urls = new ArrayList<>();
                s.path("urls").forEach(u -> urls.add(u.asText()));
                if (urls.isEmpty()) {
                    continue;
                }
                String[] u = urls.toArray(String[]::new);
                list.add(s.has("username") ? RTCIceServer.withCredentials(s.path("username").asText(),
                        s.path("credential").asText(), u) : RTCIceServer.of(u));
            }
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(TransferServer.class).debug("no ICE servers from {}", url(), e);
        }
        return list;
    }
}
