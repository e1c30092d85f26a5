package org.rtc4j.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.rtc4j.server.web.WebServer;
import org.rtc4j.server.web.WebServerConfig;
import org.rtc4j.testkit.LoopbackNamespace;
import org.rtc4j.testkit.browser.Chromium;

/**
 * "Send a file" in the call's chat panel (js/chat-files.js), in two headless Chromium in one room: a file
 * crosses on a data channel of its own, lands in the receiver's origin private file system, and its SHA-256
 * there (SubtleCrypto's, not the page's own) is the sender's; a receiver whose disk is slow (its worker's
 * messages held back) paces the sender to the transfer page's window of 64 chunks.
 */
class ChatFilesBrowserTest {

    private static final String SHA256 = """
            (async blob => [...new Uint8Array(await crypto.subtle.digest('SHA-256', await blob.arrayBuffer()))]
                .map(b => b.toString(16).padStart(2, '0')).join(''))""";

    @Test
    void aFileSentInTheChatArrivesWhole() throws Exception {
        LoopbackNamespace.require();
        try (WebServer server = WebServer.start(WebServerConfig.loopback());
             Chromium alice = Chromium.launch(); Chromium bob = Chromium.launch()) {
            URI room = server.url().resolve("/r/files-" + System.nanoTime());
            RoomPage a = RoomPage.open(alice, room, "alice");
            RoomPage b = RoomPage.open(bob, room, "bob");
            for (RoomPage p : new RoomPage[] {a, b}) {
                p.waitUntil("chat open", "!document.getElementById('chat-input').disabled");
                p.waitUntil("the file button enabled", "!document.getElementById('chat-file').disabled");
            }
            // Bob's disk writes a chunk each 50 ms at best: every message to a worker waits its turn in a queue.
            b.eval("""
                    (() => {
                      const post = Worker.prototype.postMessage;
                      const held = [];
                      setInterval(() => { const m = held.shift(); if (m) post.apply(m.worker, m.args); }, 50);
                      Worker.prototype.postMessage = function (...args) { held.push({ worker: this, args }); };
                    })()""");
            // 8 MB and a bit of random bytes (128 chunks and a short one), in parts (getRandomValues gives
            // 64 KiB at a time): without a window, the sender runs far ahead of Bob's disk.
            String sent = a.text("""
                    (async () => {
                      const parts = [];
                      for (let i = 0; i < 128; i++) parts.push(crypto.getRandomValues(new Uint8Array(65536)));
                      parts.push(crypto.getRandomValues(new Uint8Array(1234)));
                      const file = new File(parts, 'holiday photo.bin');
                      window.rtc4jFiles.send([file]);
                      return await %s(file);
                    })()""".formatted(SHA256));
            b.waitUntil("the file received", "window.rtc4jFiles.received.length === 1");
            a.waitUntil("the file delivered", "window.rtc4jFiles.sent[0].state === 'delivered'");
            String path = b.text("window.rtc4jFiles.received[0].path");
            assertThat(path).isEqualTo("received/holiday photo.bin");
            String got = b.text("""
                    (async () => {
                      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('received');
                      return await %s(await (await dir.getFileHandle('holiday photo.bin')).getFile());
                    })()""".formatted(SHA256));
            assertThat(got).isEqualTo(sent);
            assertThat(b.bool("[...document.querySelectorAll('#chat-log a[download]')]"
                    + ".some(l => l.download === 'holiday photo.bin')")).as("a link to save it in the chat").isTrue();
            long queued = b.number("window.rtc4jFiles.maxQueued");
            System.out.println("chat file: at most " + queued + " chunks waited for the receiver's worker");
            assertThat(queued).as("chunks received and not yet written, at most").isBetween(1L, 64L);
        }
    }
}
