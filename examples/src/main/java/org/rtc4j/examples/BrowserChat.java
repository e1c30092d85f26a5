package org.rtc4j.examples;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A data channel with a browser: prints a page URL; the page makes an offer and POSTs it to {@code /offer},
 * the Java peer answers in the response, and the two chat (the Java side greets, and answers each message).
 * Run it: {@code java org.rtc4j.examples.BrowserChat [port]} and open the URL it prints.
 */
public final class BrowserChat implements AutoCloseable {

    private final OfferPage page;
    private final List<String> received = new CopyOnWriteArrayList<>();

    private BrowserChat(int port) throws IOException {
        page = OfferPage.start(port, "chat.html", (pc, query) -> pc.onDataChannel(ch -> {
            ch.onOpen(() -> ch.send("hello from Java"));
            ch.onMessage(m -> {
                received.add(m.text());
                ch.send("Java got: " + m.text());
            });
        }));
    }

    public static void main(String[] args) throws Exception {
        BrowserChat chat = start(args.length > 0 ? Integer.parseInt(args[0]) : 8080);
        System.out.println("open " + chat.url() + " in a browser (Ctrl-C to stop)");
        Thread.currentThread().join();
    }

    /** Serves the page and the signaling endpoint on 127.0.0.1:{@code port} (0: any free port). */
    public static BrowserChat start(int port) throws IOException {
        return new BrowserChat(port);
    }

    public URI url() {
        return page.url(null);
    }

    /** The messages the Java side received from browsers. */
    public List<String> received() {
        return received;
    }

    @Override
    public void close() {
        page.close();
    }
}
