package org.rtc4j.dtls.internal;

import org.bouncycastle.tls.crypto.TlsSecret;
import org.bouncycastle.tls.crypto.impl.AbstractTlsCrypto;
import org.bouncycastle.tls.crypto.impl.AbstractTlsSecret;

/**
 * Reads the bytes of a TLS secret without destroying it ({@link TlsSecret#extract()} would), for the key log.
 * Only ever a subclass in name: it reaches the protected {@code copyData}.
 */
final class SecretAccess extends AbstractTlsSecret {

    private SecretAccess() {
        super(new byte[0]);
    }

    static byte[] copy(TlsSecret secret) {
        return secret instanceof AbstractTlsSecret s ? AbstractTlsSecret.copyData(s) : null;
    }

    @Override
    protected AbstractTlsCrypto getCrypto() {
        throw new UnsupportedOperationException();
    }

    @Override
    public TlsSecret deriveUsingPRF(int prfAlgorithm, String label, byte[] seed, int length) {
        throw new UnsupportedOperationException();
    }

    @Override
    public TlsSecret hkdfExpand(int cryptoHashAlgorithm, byte[] info, int length) {
        throw new UnsupportedOperationException();
    }

    @Override
    public TlsSecret hkdfExtract(int cryptoHashAlgorithm, TlsSecret ikm) {
        throw new UnsupportedOperationException();
    }
}
