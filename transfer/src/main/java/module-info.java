/**
 * Peer-to-peer file transfer over WebRTC data channels: files and directories streamed from and to disk, one
 * channel per file, resume of missing chunks, SHA-256 per file, and a short code whose J-PAKE key confirms both
 * DTLS fingerprints before any file byte moves.
 */
module org.rtc4j.transfer {
    requires transitive org.rtc4j.webrtc;
    requires transitive org.rtc4j.signaling;
    requires org.bouncycastle.provider;
    requires com.fasterxml.jackson.databind;
    requires java.net.http;
    requires org.slf4j;
    requires jdk.unsupported; // com.sun.nio.file.ExtendedOpenOption.DIRECT

    exports org.rtc4j.transfer;
}
