package org.rtc4j.examples;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.rtc4j.RTCConfiguration;
import org.rtc4j.RTCDataChannel;
import org.rtc4j.RTCPeerConnection;

/**
 * "RTCPeerConnection without servers": two connections in one JVM, signaled by direct calls, exchanging text
 * and binary messages both ways over a data channel. Run it: {@code java org.rtc4j.examples.TwoPeers}.
 */
public final class TwoPeers {

    private TwoPeers() {
    }

    public static void main(String[] args) throws Exception {
        List<String> log = run();
        log.forEach(System.out::println);
    }

    /** Runs the sample and returns what each side received, in order of arrival per side. */
    public static List<String> run() throws Exception {
        List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(4);
        try (var pc1 = new RTCPeerConnection(RTCConfiguration.defaults());
             var pc2 = new RTCPeerConnection(RTCConfiguration.defaults())) {
            RTCDataChannel chat = pc1.createDataChannel("chat");
            chat.onMessage(m -> {
                log.add("pc1 got " + (m.isBinary() ? m.size() + " bytes" : "'" + m.text() + "'"));
                done.countDown();
            });
            pc2.onDataChannel(ch -> {
                ch.onMessage(m -> {
                    log.add("pc2 got " + (m.isBinary() ? m.size() + " bytes" : "'" + m.text() + "'"));
                    done.countDown();
                });
                ch.onOpen(() -> {
                    ch.send("hello from pc2");
                    ch.send("binary from pc2".getBytes(StandardCharsets.UTF_8));
                });
            });
            chat.onOpen(() -> {
                chat.send("hello from pc1");
                chat.send(new byte[] {1, 2, 3, 4});
            });

            pc1.setLocalDescription().join();                  // implicit createOffer
            pc2.setRemoteDescription(pc1.localDescription()).join();
            pc2.setLocalDescription().join();                  // implicit createAnswer
            pc1.setRemoteDescription(pc2.localDescription()).join();
            pc1.onIceCandidate(c -> pc2.addIceCandidate(c));   // trickle from here on
            pc2.onIceCandidate(c -> pc1.addIceCandidate(c));

            if (!done.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the peers did not exchange their messages: " + log);
            }
        }
        return log;
    }
}
