package org.rtc4j.server.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/** HTTP/1.1 by hand over a socket: what a test needs that a client library will not send (any Host, a chosen source address). */
final class RawHttp {
    private RawHttp() {
    }

    /** A connection to the server on loopback from the local address {@code from} (any 127.x in the namespace). */
    static Socket connect(String from, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    /** One GET on {@code s}; the status line, or "closed" when the server closed or reset the connection. */
    static String get(Socket s, String path, String host, String... headers) throws IOException {
        StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
        for (String h : headers) {
            req.append(h).append("\r\n");
        }
        req.append("\r\n");
        try {
            s.getOutputStream().write(req.toString().getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
                line.append((char) b);
            }
            return line.isEmpty() ? "closed" : line.toString().strip();
        } catch (SocketException e) {
            return "closed";
        }
    }

    /** One GET on a new connection from 127.0.0.1; the status line. */
    static String get(int port, String path, String host, String... headers) throws IOException {
        try (Socket s = connect("127.0.0.1", port)) {
            return get(s, path, host, headers);
        }
    }
}
