package org.rtc4j.bench.signaling;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load test of the signaling server: N WebSocket clients in rooms of two, each sending application
 * messages to its partner at a fixed rate. Both members of every room live in this process, so the relay
 * latency (send to receive, through the server) is measured on one clock. Counts what was lost and what
 * arrived from anyone but the partner (crosstalk). Run several processes against one server for more
 * clients than one process may open sockets ({@code ulimit -n}). With {@code --url2} the second member of
 * each room connects there: two servers sharing rooms through Redis.
 *
 * <pre>
 * java -cp ... org.rtc4j.bench.signaling.SignalingLoad --url ws://127.0.0.1:8080/ws --clients 5000 \
 *     --rate 2 --seconds 30 --warmup 5
 * </pre>
 */
public final class SignalingLoad {
    private final URI url;
    /** Where the second member of each room connects: another server sharing rooms (Redis), or the same. */
    private final URI url2;
    private final int clients;
    private final double ratePerClient;
    private final int seconds;
    private final int warmup;
    private final String prefix;
    private final LatencyHistogram latency = new LatencyHistogram();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong receivedInWindow = new AtomicLong();
    private final AtomicLong crosstalk = new AtomicLong();
    private final AtomicLong outOfOrder = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile long windowStart = Long.MAX_VALUE;
    private volatile long windowEnd = Long.MAX_VALUE;

    private SignalingLoad(Map<String, String> args) {
        url = URI.create(args.getOrDefault("url", "ws://127.0.0.1:8080/ws"));
        url2 = URI.create(args.getOrDefault("url2", url.toString()));
        clients = Integer.parseInt(args.getOrDefault("clients", "1000")) & ~1;
        ratePerClient = Double.parseDouble(args.getOrDefault("rate", "1"));
        seconds = Integer.parseInt(args.getOrDefault("seconds", "30"));
        warmup = Integer.parseInt(args.getOrDefault("warmup", "5"));
        prefix = args.getOrDefault("prefix", "load" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36));
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        System.exit(new SignalingLoad(args).run() ? 0 : 1);
    }

    private boolean run() throws Exception {
        HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(2)).build();
        List<Bot> bots = new ArrayList<>(clients);
        long t0 = System.nanoTime();
        Semaphore connecting = new Semaphore(200);
        List<CompletableFuture<?>> opened = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Bot bot = new Bot(prefix + "-" + (i / 2));
            bots.add(bot);
            connecting.acquire();
            opened.add(http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30)).buildAsync(i % 2 == 0 ? url : url2, bot)
                    .whenComplete((ws, e) -> {
                        connecting.release();
                        if (e != null) {
                            errors.incrementAndGet();
                        } else {
                            bot.ws = ws;
                            bot.sendNow("{\"type\":\"join\",\"room\":\"" + bot.room + "\"}");
                        }
                    }));
        }
        CompletableFuture.allOf(opened.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (bots.stream().anyMatch(b -> b.peer == null) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        long paired = bots.stream().filter(b -> b.peer != null).count();
        System.err.printf("%d clients connected and paired in %.1f s (%d unpaired, %d errors)%n",
                paired, (System.nanoTime() - t0) / 1e9, clients - paired, errors.get());

        // Spread the sends evenly: every 5 ms, the share of clients*rate that is due.
        double perTick = clients * ratePerClient * 0.005;
        long start = System.nanoTime();
        windowStart = start + TimeUnit.SECONDS.toNanos(warmup);
        windowEnd = windowStart + TimeUnit.SECONDS.toNanos(seconds);
        double due = 0;
        int next = 0;
        long tick = start;
        while (System.nanoTime() < windowEnd) {
            due += perTick;
            while (due >= 1) {
                Bot b = bots.get(next);
                next = (next + 1) % bots.size();
                if (b.peer != null) {
                    b.sendMessage();
                }
                due -= 1;
            }
            tick += 5_000_000;
            long sleep = tick - System.nanoTime();
            if (sleep > 0) {
                Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            }
        }
        // Drain: everything sent must arrive.
        long drainEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (received.get() < sent.get() && System.nanoTime() < drainEnd) {
            Thread.sleep(50);
        }
        long lost = sent.get() - received.get();
        System.out.printf("clients=%d rooms=%d rate/client=%.2f window=%ds sent=%d received=%d lost=%d crosstalk=%d"
                        + " outOfOrder=%d errors=%d relayed/s=%.0f p50=%.2fms p99=%.2fms p99.9=%.2fms max=%.2fms%n",
                clients, clients / 2, ratePerClient, seconds, sent.get(), received.get(), lost, crosstalk.get(),
                outOfOrder.get(), errors.get(), receivedInWindow.get() / (double) seconds,
                latency.percentileMillis(0.5), latency.percentileMillis(0.99), latency.percentileMillis(0.999),
                latency.maxMillis());
        for (Bot b : bots) {
            if (b.ws != null) {
                b.ws.abort();
            }
        }
        return lost == 0 && crosstalk.get() == 0 && outOfOrder.get() == 0 && paired == clients;
    }

    /** One client: joins its room, learns its partner, sends and checks messages. */
    private final class Bot implements WebSocket.Listener {
        final String room;
        volatile WebSocket ws;
        volatile String id;
        volatile String peer;
        private long seq;
        private long expected;
        private CompletableFuture<?> last = CompletableFuture.completedFuture(null);
        private final StringBuilder partial = new StringBuilder();

        Bot(String room) {
            this.room = room;
        }

        synchronized void sendNow(String text) {
            last = last.thenCompose(x -> ws.sendText(text, true)).exceptionally(e -> {
                errors.incrementAndGet();
                return null;
            });
        }

        void sendMessage() {
            long s = seq++;
            sent.incrementAndGet();
            sendNow("{\"type\":\"message\",\"data\":{\"t\":" + System.nanoTime() + ",\"s\":" + s + ",\"r\":\"" + room + "\"}}");
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean lastPart) {
            partial.append(data);
            if (lastPart) {
                handle(partial.toString());
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }

        private void handle(String msg) {
            long now = System.nanoTime();
            if (msg.startsWith("{\"type\":\"message\"")) {
                received.incrementAndGet();
                long t = number(msg, "\"t\":");
                long s = number(msg, "\"s\":");
                if (!msg.contains("\"r\":\"" + room + "\"") || !msg.contains("\"from\":\"" + peer + "\"")) {
                    crosstalk.incrementAndGet();
                }
                if (s != expected) {
                    outOfOrder.incrementAndGet();
                }
                expected = s + 1;
                if (t >= windowStart && t < windowEnd) {
                    latency.record(now - t);
                    receivedInWindow.incrementAndGet();
                }
            } else if (msg.startsWith("{\"type\":\"joined\"")) {
                id = string(msg, "\"id\":\"");
                int peers = msg.indexOf("\"peers\":[\"");
                if (peers >= 0) {
                    peer = string(msg, "\"peers\":[\"");
                }
            } else if (msg.startsWith("{\"type\":\"peer-joined\"")) {
                peer = string(msg, "\"id\":\"");
            } else if (msg.startsWith("{\"type\":\"error\"")) {
                errors.incrementAndGet();
                System.err.println("server error: " + msg);
            }
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            errors.incrementAndGet();
        }
    }

    private static long number(String s, String key) {
        int i = s.indexOf(key);
        if (i < 0) {
            return -1;
        }
        i += key.length();
        int j = i;
        while (j < s.length() && Character.isDigit(s.charAt(j))) {
            j++;
        }
        return j > i ? Long.parseLong(s, i, j, 10) : -1;
    }

    private static String string(String s, String key) {
        int i = s.indexOf(key);
        if (i < 0) {
            return null;
        }
        i += key.length();
        int j = s.indexOf('"', i);
        return j < 0 ? null : s.substring(i, j);
    }
}
