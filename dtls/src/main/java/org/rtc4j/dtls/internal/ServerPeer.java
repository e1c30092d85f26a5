package org.rtc4j.dtls.internal;

import java.io.IOException;
import java.util.Hashtable;
import java.util.Vector;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;
import org.rtc4j.dtls.DtlsSrtpProfile;

/**
 * The DTLS 1.2 server side: picks the suite and SRTP profile, demands a client certificate (WebRTC
 * authenticates both ends, RFC 8827 section 6.5) and checks it against the remote fingerprint.
 */
// Bouncy Castle's TlsPeer API takes and returns raw Vector and Hashtable.
@SuppressWarnings({"rawtypes", "unchecked"})
public final class ServerPeer extends DefaultTlsServer {

    private final PeerSupport support;

    public ServerPeer(PeerSupport support) {
        super(support.crypto());
        this.support = support;
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return support.cipherSuites(true);
    }

    @Override
    public int[] getSupportedGroups() {
        return support.groups();
    }

    @Override
    protected boolean allowEncryptThenMAC() {
        return false;
    }

    @Override
    protected boolean preferLocalCipherSuites() {
        return true;
    }

    @Override
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData offered = TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (offered != null) {
            support.setSrtpProfile(support.chooseSrtpProfile(offered.getProtectionProfiles()));
        }
    }

    @Override
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = super.getServerExtensions();
        DtlsSrtpProfile profile = support.srtpProfile();
        if (profile != null) {
            TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(new int[] {profile.id()}, TlsUtils.EMPTY_BYTES));
        }
        return extensions;
    }

    @Override
    public int getSelectedCipherSuite() throws IOException {
        int suite = super.getSelectedCipherSuite();
        support.cipherSuiteSelected(suite);
        return suite;
    }

    @Override
    public CertificateRequest getCertificateRequest() {
        Vector sigAlgs = TlsUtils.getDefaultSupportedSignatureAlgorithms(context);
        return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign},
                sigAlgs, null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        support.verifyPeer(clientCertificate);
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() throws IOException {
        return support.signer(context, context.getSecurityParametersHandshake().getClientSigAlgs());
    }

    @Override
    protected TlsCredentialedSigner getRSASignerCredentials() throws IOException {
        return support.signer(context, context.getSecurityParametersHandshake().getClientSigAlgs());
    }

    // What both roles do alike, all of it in PeerSupport (Java has no mixin to share these lines). Keying
    // material can only be exported from inside notifyHandshakeComplete (Bouncy Castle 1.84).
    @Override protected ProtocolVersion[] getSupportedVersions() { return ProtocolVersion.DTLSv12.only(); }
    @Override public void notifyHandshakeComplete() { support.handshakeComplete(context); }
    @Override public int getHandshakeResendTimeMillis() { return support.resendMillis(); }
    @Override public int getHandshakeTimeoutMillis() { return support.timeoutMillis(); }
    @Override public boolean requiresExtendedMasterSecret() { return true; }
}
