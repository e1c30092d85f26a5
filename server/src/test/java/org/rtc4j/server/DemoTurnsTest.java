package org.rtc4j.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rtc4j.testkit.LoopbackNamespace;
import org.rtc4j.testkit.TestCertificate;
import picocli.CommandLine;

/**
 * {@code ./rtc4j demo --turns-port}: the TURN server also listens for TLS with the HTTPS certificate,
 * {@code /api/ice-servers} lists its {@code turns:} URL, and coturn's client relays through it with the
 * credentials handed out.
 */
class DemoTurnsTest {

    @TempDir
    Path dir;

    @Test
    void theDemoListsAndServesTurnsWithItsHttpsCertificate() throws Exception {
        LoopbackNamespace.require();
        TestCertificate cert = TestCertificate.generate(dir, "IP:127.0.0.1,DNS:localhost");
        StringWriter err = new StringWriter();
        var cli = new CommandLine(new Main());
        cli.setErr(new PrintWriter(err, true));
        Thread demo = new Thread(() -> cli.execute("demo", "--host", "127.0.0.1", "--port", "0", "--turn-port", "0",
                "--turns-port", "0", "--tls-cert", cert.certificatePem().toString(), "--tls-key",
                cert.keyPem().toString()), "demo-command");
        demo.start();
        Process peer = new ProcessBuilder("turnutils_peer", "-L", "127.0.0.1", "-p", "3480")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            URI url = DemoCommandTest.awaitUrl(err, demo);
            HttpClient http = HttpClient.newBuilder().sslContext(trusting(cert)).build();
            JsonNode ice = new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(url.resolve("/api/ice-servers"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
            JsonNode turn = ice.at("/iceServers/1");
            Matcher turns = Pattern.compile("\"turns:127\\.0\\.0\\.1:(\\d+)\"").matcher(turn.get("urls").toString());
            assertThat(turns.find()).as(ice.toString()).isTrue();
            assertThat(err.toString()).contains("127.0.0.1:" + turns.group(1) + "/tls");

            Process client = new ProcessBuilder("turnutils_uclient", "-t", "-S", "-E", cert.certificatePem().toString(),
                    "-u", turn.get("username").asText(), "-w", turn.get("credential").asText(), "-e", "127.0.0.1",
                    "-r", "3480", "-m", "2", "-n", "20", "-l", "200", "-z", "5", "-p", turns.group(1), "127.0.0.1")
                    .redirectErrorStream(true).start();
            assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(output).contains("Total lost packets 0 (");
            assertThat(client.exitValue()).as(output).isZero();
        } finally {
            peer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            demo.interrupt();
            demo.join(10_000);
        }
        assertThat(demo.isAlive()).isFalse();
    }

    @Test
    void turnsNeedsTheCertificate() {
        var cli = new CommandLine(new Main());
        cli.setErr(new PrintWriter(new StringWriter(), true));
        assertThat(cli.execute("demo", "--host", "127.0.0.1", "--port", "0", "--turns-port", "0")).isEqualTo(2);
    }

    private static SSLContext trusting(TestCertificate cert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", cert.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
