package org.rtc4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rtc4j.testkit.LoopbackNamespace;
import org.rtc4j.testkit.browser.BrowserPage;
import org.rtc4j.testkit.browser.Chromium;

/** Each example runs as a user would run it. */
@Timeout(120)
class ExamplesTest {

    @Test
    void twoPeersExchangeTextAndBinaryBothWays() throws Exception {
        List<String> log = TwoPeers.run();
        assertThat(log).containsExactlyInAnyOrder("pc2 got 'hello from pc1'", "pc2 got 4 bytes",
                "pc1 got 'hello from pc2'", "pc1 got 15 bytes");
    }

    @Test
    @SuppressWarnings("unchecked")
    void browserChatsWithTheJavaPeer() throws Exception {
        LoopbackNamespace.require();
        try (BrowserChat chat = BrowserChat.start(0); Chromium chromium = Chromium.launch()) {
            BrowserPage page = chromium.open(chat.url());
            page.evaluate("ready.then(() => true)", Duration.ofSeconds(30));
            page.evaluate("say('hi from Chromium'); true", Duration.ofSeconds(5));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            List<Object> messages;
            do {
                Thread.sleep(20);
                messages = (List<Object>) page.evaluate("messages", Duration.ofSeconds(5));
            } while (!messages.contains("java: Java got: hi from Chromium") && System.nanoTime() < deadline);
            assertThat(messages).contains("(connected)", "java: hello from Java", "me: hi from Chromium",
                    "java: Java got: hi from Chromium");
            assertThat(chat.received()).containsExactly("hi from Chromium");
        }
    }
}
