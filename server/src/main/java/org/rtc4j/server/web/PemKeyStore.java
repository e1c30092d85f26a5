package org.rtc4j.server.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Reads a PEM certificate chain and a PEM PKCS#8 private key into an in-memory key store for TLS: the web
 * server's HTTPS, and the TURN server's TLS listener ({@link #serverContext}).
 */
public final class PemKeyStore {
    private static final Pattern PKCS8 = Pattern.compile(
            "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private PemKeyStore() {
    }

    /** The key store, whose one entry "server" is protected by {@code password}. */
    static KeyStore load(Path certFile, Path keyFile, char[] password) throws IOException {
        try {
            Certificate[] chain;
            try (var in = Files.newInputStream(certFile)) {
                chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(Certificate[]::new);
            }
            if (chain.length == 0) {
                throw new IOException(certFile + " holds no PEM certificate");
            }
            PrivateKey key = privateKey(keyFile, chain[0].getPublicKey().getAlgorithm());
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", key, password, chain);
            return ks;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use " + certFile + " and " + keyFile + " for TLS: " + e.getMessage(), e);
        }
    }

    /**
     * A TLS server context with this certificate chain and key (the JDK's defaults for protocols and suites).
     *
     * @throws IOException when a file cannot be read or holds no usable certificate or key
     */
    public static SSLContext serverContext(Path certFile, Path keyFile) throws IOException {
        char[] password = new char[0];
        KeyStore keys = load(certFile, keyFile, password);
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use " + certFile + " and " + keyFile + " for TLS: " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(Path keyFile, String algorithm) throws IOException, GeneralSecurityException {
        String pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
        Matcher m = PKCS8.matcher(pem);
        if (!m.find()) {
            throw new IOException(keyFile + " holds no unencrypted PKCS#8 key (BEGIN PRIVATE KEY); convert it with"
                    + " openssl pkcs8 -topk8 -nocrypt -in " + keyFile + " -out key.pem");
        }
        byte[] der = Base64.getMimeDecoder().decode(m.group(1));
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    }

}
