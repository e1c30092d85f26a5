package org.rtc4j.internal;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The TLS client context for {@code turns:} servers: the JDK's trust store, or one certificate alone. */
final class TlsContexts {

    private TlsContexts() {
    }

    /** The JDK's default context for {@code trusted} null, else a context trusting that certificate only. */
    static SSLContext client(X509Certificate trusted) throws IOException {
        try {
            if (trusted == null) {
                return SSLContext.getDefault();
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("turn", trusted);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make the TLS context: " + e.getMessage(), e);
        }
    }
}
