package org.rtc4j.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rtc4j.signaling.SignalingClient;
import org.rtc4j.testkit.LoopbackNamespace;

/** HTTPS and WSS with PEM files made by openssl, RSA and EC. */
class TlsTest {
    @TempDir
    Path dir;

    @Test
    void servesHttpsAndWssWithAnEcKey() throws Exception {
        servesOverTls("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
    }

    @Test
    void servesHttpsAndWssWithAnRsaKey() throws Exception {
        servesOverTls("-newkey", "rsa:2048");
    }

    @Test
    void aKeyThatIsNotPkcs8GetsAClearMessage() throws Exception {
        LoopbackNamespace.require();
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        assertThat(ExternalProcess.run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost"), null)
                .exitCode()).isZero();
        Path rsa = dir.resolve("rsa.pem");
        assertThat(ExternalProcess.run(List.of("openssl", "rsa", "-in", key.toString(), "-traditional",
                "-out", rsa.toString()), null).exitCode()).isZero();
        assertThatThrownBy(() -> WebServer.start(WebServerConfig.loopback().withTls(cert, rsa)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("PKCS#8").hasMessageContaining("openssl pkcs8");
    }

    private void servesOverTls(String... keyArgs) throws Exception {
        LoopbackNamespace.require();
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        List<String> command = new java.util.ArrayList<>(List.of("openssl", "req", "-x509"));
        command.addAll(List.of(keyArgs));
        command.addAll(List.of("-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "1",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"));
        ExternalProcess openssl = ExternalProcess.run(command, null);
        assertThat(openssl.exitCode()).as(openssl.output()).isZero();

        try (WebServer server = WebServer.start(WebServerConfig.loopback().withTls(cert, key))) {
            assertThat(server.url().getScheme()).isEqualTo("https");
            HttpClient http = HttpClient.newBuilder().sslContext(trusting(cert)).build();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + server.port() + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            SignalingClient client = SignalingClient.connect(http,
                    URI.create("wss://127.0.0.1:" + server.port() + "/ws"), e -> { }).join();
            assertThat(client.join("secure").join().room()).isEqualTo("secure");
            client.close();
        }
    }

    private static SSLContext trusting(Path cert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            trust.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
