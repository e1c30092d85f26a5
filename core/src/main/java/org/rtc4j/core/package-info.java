/**
 * The ground every rtc4j protocol stands on: transport addresses, bounds-checked byte reading, the clock,
 * and the sans-IO contract.
 *
 * <h2>The sans-IO contract</h2>
 * Every protocol engine (STUN server, ICE agent, TURN allocation, SCTP association, ...) is an
 * {@link org.rtc4j.core.Engine}: a plain object without threads, sockets or calls to the system clock.
 * Its driver feeds it datagrams and the time, and sends what it asks to send. The same engine then runs
 * under a real driver (sockets, wall clock) and under the test kit's simulated network (virtual clock,
 * seeded loss and delay), where a minute of a call takes milliseconds and a failure repeats exactly.
 *
 * <p>An engine that echoes every datagram back, and a UDP driver for it:
 * <pre>{@code
 * final class Echo implements Engine<String> {
 *     private final ArrayDeque<Transmit> out = new ArrayDeque<>();
 *     public void handleInput(Instant now, TransportAddress from, TransportAddress to, ByteBuffer data) {
 *         ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip(); // data is the driver's
 *         out.add(new Transmit(to, from, copy));
 *     }
 *     public void handleTimeout(Instant now) { }
 *     public Transmit pollTransmit() { return out.poll(); }
 *     public String pollEvent() { return null; }
 *     public Instant pollTimeout() { return null; }
 * }
 *
 * // The driver: one socket, the wall clock, a reused receive buffer.
 * var channel = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
 * var local = TransportAddress.of(Transport.UDP, (InetSocketAddress) channel.getLocalAddress());
 * var engine = new Echo();
 * var buffer = ByteBuffer.allocate(65536);
 * while (true) {
 *     var from = (InetSocketAddress) channel.receive(buffer.clear());
 *     engine.handleInput(Clock.system().now(), TransportAddress.of(Transport.UDP, from), local, buffer.flip());
 *     for (Transmit t; (t = engine.pollTransmit()) != null; ) {
 *         channel.send(t.payload(), t.destination().socketAddress());
 *     }
 * }
 * }</pre>
 * A real driver also waits no longer than {@code pollTimeout()} for the next datagram and then calls
 * {@code handleTimeout(now)}, and drains {@code pollEvent()} after every call.
 *
 * <h2>Parsing</h2>
 * Parsers read through {@link org.rtc4j.core.ByteReader}: every read is bounds-checked and a short or
 * malformed input becomes a {@link org.rtc4j.core.ParseException} with the reason, which engines count and
 * drop. Writers use {@link org.rtc4j.core.Bytes}.
 */
package org.rtc4j.core;
