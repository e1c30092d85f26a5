package org.rtc4j.dtls.internal;

import java.io.IOException;
import java.util.Hashtable;
import java.util.Vector;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ExtensionType;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.rtc4j.dtls.DtlsSrtpProfile;

/** The DTLS 1.2 client side: offers our suites, groups and SRTP profiles, and checks the server's certificate. */
// Bouncy Castle's TlsPeer API takes and returns raw Vector and Hashtable.
@SuppressWarnings({"rawtypes", "unchecked"})
public final class ClientPeer extends DefaultTlsClient {

    private final PeerSupport support;

    public ClientPeer(PeerSupport support) {
        super(support.crypto());
        this.support = support;
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return support.cipherSuites(false);
    }

    @Override
    protected Vector getSupportedGroups(Vector namedGroupRoles) {
        return support.groupVector();
    }

    @Override
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = super.getClientExtensions();
        // No encrypt-then-MAC: CBC is only a fallback, and one record layout keeps the record filter exact.
        extensions.remove(ExtensionType.encrypt_then_mac);
        int[] profiles = support.srtpProfileIds();
        if (profiles.length > 0) {
            TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(profiles, TlsUtils.EMPTY_BYTES));
        }
        return extensions;
    }

    @Override
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        UseSRTPData srtp = TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        if (srtp != null) {
            int[] chosen = srtp.getProtectionProfiles();
            // RFC 5764 4.1.1: exactly one profile, one we offered.
            if (chosen.length != 1 || !support.offers(chosen[0])) {
                throw new TlsFatalAlert(AlertDescription.illegal_parameter, "server chose an SRTP profile we did not offer");
            }
            support.setSrtpProfile(DtlsSrtpProfile.fromId(chosen[0]));
        }
    }

    @Override
    public void notifySelectedCipherSuite(int selectedCipherSuite) {
        super.notifySelectedCipherSuite(selectedCipherSuite);
        support.cipherSuiteSelected(selectedCipherSuite);
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                support.verifyPeer(serverCertificate.getCertificate());
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                return support.signer(context, request.getSupportedSignatureAlgorithms());
            }
        };
    }

    // What both roles do alike, all of it in PeerSupport (Java has no mixin to share these lines). Keying
    // material can only be exported from inside notifyHandshakeComplete (Bouncy Castle 1.84).
    @Override protected ProtocolVersion[] getSupportedVersions() { return ProtocolVersion.DTLSv12.only(); }
    @Override public void notifyHandshakeComplete() { support.handshakeComplete(context); }
    @Override public int getHandshakeResendTimeMillis() { return support.resendMillis(); }
    @Override public int getHandshakeTimeoutMillis() { return support.timeoutMillis(); }
    @Override public boolean requiresExtendedMasterSecret() { return true; }
}
