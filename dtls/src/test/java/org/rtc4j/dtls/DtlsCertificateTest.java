package org.rtc4j.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DtlsCertificateTest {

    @Test
    void generatesEcdsaP256ByDefaultWithExpiry() throws Exception {
        DtlsCertificate c = DtlsCertificate.generate();
        assertThat(c.keyType()).isEqualTo(DtlsCertificate.KeyType.ECDSA_P256);
        assertThat(c.certificate().getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(c.expires()).isBetween(Instant.now().plus(Duration.ofDays(29)), Instant.now().plus(Duration.ofDays(31)));
        assertThat(c.isExpired(Instant.now())).isFalse();
        assertThat(c.isExpired(Instant.now().plus(Duration.ofDays(31)))).isTrue();
        c.certificate().verify(c.certificate().getPublicKey());   // self-signed
    }

    @Test
    void generatesRsa2048() {
        DtlsCertificate c = DtlsCertificate.generate(DtlsCertificate.KeyType.RSA_2048, Duration.ofHours(1));
        assertThat(c.keyType()).isEqualTo(DtlsCertificate.KeyType.RSA_2048);
        assertThat(((java.security.interfaces.RSAPublicKey) c.certificate().getPublicKey()).getModulus().bitLength())
                .isEqualTo(2048);
    }

    @Test
    void pemRoundTripKeepsTheIdentity(@TempDir Path dir) throws Exception {
        DtlsCertificate c = DtlsCertificate.generate();
        Path file = dir.resolve("identity.pem");
        c.save(file);
        DtlsCertificate loaded = DtlsCertificate.load(file);
        assertThat(loaded.fingerprint()).isEqualTo(c.fingerprint());
        assertThat(loaded.privateKey().getEncoded()).isEqualTo(c.privateKey().getEncoded());
        assertThat(c.toPem()).startsWith("-----BEGIN PRIVATE KEY-----\n").contains("-----BEGIN CERTIFICATE-----\n");
    }

    @Test
    void pemWithAnotherKeyIsRefused() {
        String a = DtlsCertificate.generate().toPem();
        String b = DtlsCertificate.generate().toPem();
        String mixed = a.substring(0, a.indexOf("-----BEGIN CERTIFICATE")) + b.substring(b.indexOf("-----BEGIN CERTIFICATE"));
        assertThatThrownBy(() -> DtlsCertificate.fromPem(mixed)).hasMessageContaining("does not belong");
        assertThatThrownBy(() -> DtlsCertificate.fromPem("nothing")).hasMessageContaining("no PRIVATE KEY block");
    }

    @Test
    void fingerprintsInSdpForm() {
        DtlsCertificate c = DtlsCertificate.generate();
        DtlsFingerprint f = c.fingerprint();
        assertThat(f.toSdp()).matches("sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(DtlsFingerprint.parse(f.toSdp().toLowerCase())).isEqualTo(f);
        assertThat(DtlsFingerprint.parse(" SHA-256 " + f.toSdp().substring(8))).isEqualTo(f);
        for (String algorithm : new String[] {"sha-1", "sha-384", "sha-512"}) {
            DtlsFingerprint other = c.fingerprint(algorithm);
            assertThat(other.algorithm()).isEqualTo(algorithm);
            assertThat(other.matches(c.encoded())).isTrue();
            assertThat(DtlsFingerprint.parse(other.toSdp())).isEqualTo(other);
        }
        assertThat(f.matches(DtlsCertificate.generate().encoded())).isFalse();
        assertThatThrownBy(() -> DtlsFingerprint.parse("md5 00:11")).hasMessageContaining("unsupported");
        assertThatThrownBy(() -> DtlsFingerprint.parse("sha-256 00:11")).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> DtlsFingerprint.parse("sha-256")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DtlsFingerprint.parse("sha-256 zz")).hasMessageContaining("bad fingerprint");
    }
}
