package org.rtc4j.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class OriginPolicyTest {

    @Test
    void sameOriginOnlyByDefault() {
        OriginPolicy p = OriginPolicy.sameOrigin();
        assertThat(p.allows("http://localhost:8080", false, "localhost", 8080)).isTrue();
        assertThat(p.allows("HTTP://LocalHost:8080", false, "localhost", 8080)).isTrue();
        assertThat(p.allows("https://chat.example:443", true, "chat.example", 443)).isTrue();
        assertThat(p.allows("https://chat.example", true, "chat.example", 443)).isTrue();
        assertThat(p.allows("http://[::1]:8080", false, "[::1]", 8080)).isTrue();
        assertThat(p.allows("http://[::1]:8080", false, "::1", 8080)).isTrue();
        // Another site, another port, another scheme, the opaque origin, garbage: refused.
        assertThat(p.allows("http://evil.example", false, "localhost", 8080)).isFalse();
        assertThat(p.allows("http://localhost:8081", false, "localhost", 8080)).isFalse();
        assertThat(p.allows("https://localhost:8080", false, "localhost", 8080)).isFalse();
        assertThat(p.allows("http://localhost:8080", true, "localhost", 8080)).isFalse();
        assertThat(p.allows("null", false, "localhost", 8080)).isFalse();
        assertThat(p.allows("", false, "localhost", 8080)).isFalse();
        assertThat(p.allows("http://localhost:8080/path", false, "localhost", 8080)).isFalse();
        assertThat(p.allows("http://user@localhost:8080", false, "localhost", 8080)).isFalse();
        assertThat(p.allows("ftp://localhost:8080", false, "localhost", 8080)).isFalse();
        // No Origin: not a browser (RFC 6455 4.1: browsers always send it), e.g. the Java client.
        assertThat(p.allows(null, false, "localhost", 8080)).isTrue();
    }

    @Test
    void listedOriginsAndAny() {
        OriginPolicy p = OriginPolicy.allowing(List.of("https://Chat.Example", "http://127.0.0.1:3000"));
        assertThat(p.allowed()).containsExactlyInAnyOrder("https://chat.example:443", "http://127.0.0.1:3000");
        assertThat(p.allows("https://chat.example", false, "localhost", 8080)).isTrue();
        assertThat(p.allows("http://127.0.0.1:3000", false, "localhost", 8080)).isTrue();
        assertThat(p.allows("http://127.0.0.1:3001", false, "localhost", 8080)).isFalse();
        assertThat(p.allows("http://chat.example", false, "localhost", 8080)).isFalse();
        assertThat(p.allows("http://localhost:8080", false, "localhost", 8080)).isTrue();

        OriginPolicy any = OriginPolicy.allowing(List.of("*"));
        assertThat(any.allowsAny()).isTrue();
        assertThat(any.allows("http://evil.example", false, "localhost", 8080)).isTrue();
        assertThat(any.allows("null", false, "localhost", 8080)).isTrue();

        assertThatThrownBy(() -> OriginPolicy.allowing(List.of("chat.example")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an origin");
        assertThatThrownBy(() -> OriginPolicy.allowing(List.of("https://chat.example/app")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
