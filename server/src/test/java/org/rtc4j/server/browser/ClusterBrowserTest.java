package org.rtc4j.server.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rtc4j.server.browser.RoomPage.quote;

import java.net.URI;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.rtc4j.server.signaling.RedisCluster;
import org.rtc4j.server.signaling.RedisServer;
import org.rtc4j.server.web.WebServer;
import org.rtc4j.server.web.WebServerConfig;
import org.rtc4j.testkit.LoopbackNamespace;
import org.rtc4j.testkit.browser.Chromium;

/**
 * The web app's call with its two browsers on two different servers that share rooms through one real
 * redis-server, as behind a load balancer: each headless Chromium opens the room on its own server, both
 * decode the other's fake camera and chat over the data channel, a third joiner on either server is told the
 * room is full, and a hang-up on one server reaches the page on the other.
 */
class ClusterBrowserTest {

    @Test
    void twoBrowsersOnTwoServersCallChatAndHangUp() throws Exception {
        LoopbackNamespace.require();
        String prefix = "browser" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36) + ":";
        try (RedisServer redis = RedisServer.start();
                RedisCluster clusterA = RedisCluster.connect(redis.url(), prefix);
                RedisCluster clusterB = RedisCluster.connect(redis.url(), prefix);
                WebServer serverA = WebServer.start(WebServerConfig.loopback(), clusterA);
                WebServer serverB = WebServer.start(WebServerConfig.loopback(), clusterB);
                Chromium alice = Chromium.launch();
                Chromium bob = Chromium.launch()) {
            String room = "cluster-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
            RoomPage a = RoomPage.open(alice, roomUrl(serverA, room), "alice");
            RoomPage b = RoomPage.open(bob, roomUrl(serverB, room), "bob");

            for (RoomPage p : List.of(a, b)) {
                p.waitForFramesBeyond("remote video frames decoded", 10);
                p.waitFor("connection state connected", "[...window.rtc4j.peers.values()][0].pc.connectionState",
                        "connected"::equals);
                p.waitUntil("chat open", "!document.getElementById('chat-input').disabled");
                p.waitForRemoteVideo(true, 0);
            }
            // One member on each server: the call really crossed servers.
            assertThat(serverA.hub().roomSizes()).containsEntry(room, 1);
            assertThat(serverB.hub().roomSizes()).containsEntry(room, 1);

            chat(a, "hello from alice on A");
            chat(b, "hello from bob on B");
            b.waitUntil("alice's chat message", received("hello from alice on A"));
            a.waitUntil("bob's chat message", received("hello from bob on B"));

            // A third joiner is told the room is full on either server (a second tab of each browser).
            for (RoomPage c : List.of(RoomPage.open(alice, roomUrl(serverB, room), "carol on B"),
                    RoomPage.open(bob, roomUrl(serverA, room), "dave on A"))) {
                c.waitUntil("room-full message", "!!(window.rtc4j && window.rtc4j.full)");
                assertThat(c.text("document.getElementById('status').textContent")).contains("is full");
            }

            // Alice hangs up on server A; bob, on server B, sees it.
            a.eval("document.getElementById('hangup').click()");
            b.waitUntil("peer-left", "!!window.rtc4j.peerLeft");
            assertThat(b.text("document.getElementById('status').textContent")).contains("hung up");
            assertThat(b.number("document.querySelectorAll('video.remote').length")).isZero();
            assertThat(serverA.hub().roomSizes()).doesNotContainKey(room);
            assertThat(serverB.hub().roomSizes()).containsEntry(room, 1);
        }
    }

    private static URI roomUrl(WebServer server, String room) {
        return URI.create("http://127.0.0.1:" + server.port() + "/r/" + room);
    }

    private static void chat(RoomPage page, String text) {
        page.eval("document.getElementById('chat-input').value = " + quote(text)
                + "; document.getElementById('chat-send').click(); true");
    }

    private static String received(String text) {
        return "window.rtc4j.chatLog.some(m => m.kind === 'theirs' && m.text === " + quote(text) + ")";
    }
}
