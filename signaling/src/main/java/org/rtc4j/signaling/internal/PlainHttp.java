package org.rtc4j.signaling.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The HTTP client for a URI: for {@code ws:} and {@code http:} one that never starts the JDK's TLS. The JDK's
 * client takes {@code SSLContext.getDefault()} when it is built, whether or not it will ever speak TLS: JSSE's
 * start and the trust store's certificates cost a cold {@code ./rtc4j send} or {@code receive} about 0.2 s of
 * CPU and 0.14 s before its first request (issue 23). A plain client's context refuses TLS instead, so a
 * redirect or a mistake that reaches an {@code https:} address fails rather than going out unchecked.
 */
public final class PlainHttp {

    private static final class Holder {
        static final HttpClient PLAIN = HttpClient.newBuilder().sslContext(new NoTls()).build();
    }

    private static final class SecureHolder {
        static final HttpClient SECURE = HttpClient.newHttpClient();
    }

    private PlainHttp() {
    }

    /** A shared client for {@code uri}: the plain one unless its scheme is {@code wss} or {@code https}. */
    public static HttpClient clientFor(URI uri) {
        return secure(uri) ? SecureHolder.SECURE : Holder.PLAIN;
    }

    /** Whether {@code uri} needs TLS (a missing scheme does not). */
    public static boolean secure(URI uri) {
        String scheme = uri.getScheme();
        return "wss".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme);
    }

    /** An SSL context that has nothing and can make nothing: every use of TLS fails. */
    private static final class NoTls extends SSLContext {
        NoTls() {
            super(new Spi(), null, "none");
        }
    }

    private static final class Spi extends SSLContextSpi {
        private static UnsupportedOperationException refused() {
            return new UnsupportedOperationException("TLS through a client made for ws: and http: addresses");
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
            throw refused();
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            throw refused();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return new SSLParameters(); // asked for by the client as it is built
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return new SSLParameters();
        }
    }
}
