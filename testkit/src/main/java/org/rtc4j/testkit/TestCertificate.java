package org.rtc4j.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed EC P-256 certificate and its key as PEM files, made by OpenSSL for a test's TLS server (coturn,
 * ours), with the given subject alternative names ({@code IP:127.0.0.1}, {@code DNS:localhost}).
 *
 * @param certificatePem the certificate, PEM
 * @param keyPem the private key, PEM (PKCS #8)
 * @param certificate the certificate, parsed
 */
public record TestCertificate(Path certificatePem, Path keyPem, X509Certificate certificate) {

    /** Makes one in {@code dir} valid for a day for {@code subjectAltNames} ("IP:127.0.0.1,DNS:localhost"). */
    public static TestCertificate generate(Path dir, String subjectAltNames) throws IOException, InterruptedException {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-days", "1", "-subj", "/CN=rtc4j test",
                "-addext", "subjectAltName=" + subjectAltNames, "-keyout", key.toString(), "-out", cert.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("openssl req failed: " + out);
        }
        try (InputStream in = Files.newInputStream(cert)) {
            return new TestCertificate(cert, key,
                    (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
        } catch (CertificateException e) {
            throw new IOException(e);
        }
    }
}
