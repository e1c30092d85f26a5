package org.rtc4j.testkit.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void parsesWhatDevToolsSends() {
        Object v = Json.parse(" {\"id\":7,\"result\":{\"result\":{\"type\":\"number\",\"value\":2.5}},"
                + "\"list\":[1,-2,3e2,\"a\\\"b\\\\c\\u00e9\\n\",true,false,null,{}],\"big\":12345678901234567890}");
        assertThat(v).isEqualTo(Map.of(
                "id", 7L,
                "result", Map.of("result", Map.of("type", "number", "value", 2.5)),
                "list", Arrays.asList(1L, -2L, 300.0, "a\"b\\c\u00e9\n", true, false, null, Map.of()),
                "big", 1.2345678901234567E19));
    }

    @Test
    void writesAndReadsBack() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("expression", "f(\"x\")\n\u0001\u2028");
        m.put("n", 3);
        m.put("list", List.of(true, "y"));
        m.put("none", null);
        String text = Json.write(m);
        assertThat(text).isEqualTo("{\"expression\":\"f(\\\"x\\\")\\n\\u0001\\u2028\",\"n\":3,\"list\":[true,\"y\"],"
                + "\"none\":null}");
        Map<String, Object> back = Json.parseObject(text);
        assertThat(back.get("expression")).isEqualTo(m.get("expression"));
        assertThat(back.get("n")).isEqualTo(3L);
    }

    @Test
    void rejectsWhatIsNotJson() {
        for (String bad : List.of("", "{", "[1,]", "{\"a\" 1}", "tru", "\"abc", "1 2", "\"\\x\"", "\"\\u12\"")) {
            assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Json.parse("[".repeat(100_000))).isInstanceOf(IllegalArgumentException.class);
    }
}
