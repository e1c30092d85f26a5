/**
 * Opus (RFC 6716) in pure Java, for rtc4j's media module: Concentus's port of libopus, moved into this package and
 * with encoder improvements of later libopus releases (README.md). Not an API: exported to rtc4j's media module
 * only, which wraps it as {@code org.rtc4j.media.codec.OpusEncoder} and {@code OpusDecoder}.
 */
module org.rtc4j.codec.opus {
    exports org.rtc4j.codec.opus.internal to org.rtc4j.media;
}
