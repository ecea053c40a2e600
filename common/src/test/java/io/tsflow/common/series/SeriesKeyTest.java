package io.tsflow.common.series;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SeriesKeyTest {

    @Test
    void tagOrderDoesNotChangeTheKey() {
        TreeMap<String, String> a = new TreeMap<>();
        a.put("site", "brussels");
        a.put("room", "12");
        assertThat(SeriesKey.of("temperature", a))
                .isEqualTo("temperature{room=\"12\",site=\"brussels\"}");
    }

    @Test
    void metricWithoutTagsIsItsOwnKey() {
        assertThat(SeriesKey.of("load", new TreeMap<>())).isEqualTo("load");
    }

    @Test
    void quotesAndSeparatorsInValuesCannotForgeAnotherSeries() {
        TreeMap<String, String> forged = new TreeMap<>();
        forged.put("a", "1\",b=\"2");
        TreeMap<String, String> real = new TreeMap<>();
        real.put("a", "1");
        real.put("b", "2");
        assertThat(SeriesKey.of("m", forged)).isNotEqualTo(SeriesKey.of("m", real));
        assertThat(SeriesKey.of("m", forged)).isEqualTo("m{a=\"1\\\",b=\\\"2\"}");
    }

    @Test
    void parseGivesBackTheMetricAndTagsEvenWithEscapesInValues() {
        TreeMap<String, String> tags = new TreeMap<>();
        tags.put("a", "1\",b=\"2");
        tags.put("path", "C:\\temp\nnext");
        tags.put("site", "");
        String key = SeriesKey.of("room.temp:c", tags);
        SeriesKey.Parts parts = SeriesKey.parse(key);
        assertThat(parts.metric()).isEqualTo("room.temp:c");
        assertThat(parts.tags()).isEqualTo(tags);
        assertThat(SeriesKey.parse("load").tags()).isEmpty();
    }

    @Test
    void parseRejectsWhatIsNotAKey() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SeriesKey.parse("m{a=\"1\""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void isKeyOfAgreesWithBuildingTheKeyForEveryCandidate() {
        // Random tagsets with the characters the key escapes or separates on, and candidates that
        // are the true key, a key of another tagset, or the true key with one character changed.
        Random random = new Random(20261203L);
        String alphabet = "ab\\\",={}\n ";
        int checked = 0;
        for (int round = 0; round < 3_000; round++) {
            String metric = "m" + randomText(random, "ab.", 3);
            Map<String, String> tags = randomTags(random, alphabet);
            String key = SeriesKey.of(metric, new TreeMap<>(tags));
            assertThat(SeriesKey.isKeyOf(key, metric, tags)).as(key).isTrue();
            Map<String, String> other = randomTags(random, alphabet);
            String otherKey = SeriesKey.of(metric, new TreeMap<>(other));
            assertThat(SeriesKey.isKeyOf(otherKey, metric, tags))
                    .as(otherKey + " for " + tags)
                    .isEqualTo(otherKey.equals(key));
            for (int i = 0; i < 10; i++) {
                String mutated = mutate(random, key, alphabet);
                assertThat(SeriesKey.isKeyOf(mutated, metric, tags))
                        .as(mutated + " for " + tags)
                        .isEqualTo(mutated.equals(key));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(30_000);
    }

    @Test
    void isKeyOfRefusesTagsOutOfOrderAndAMissingOrExtraTag() {
        Map<String, String> tags = Map.of("room", "12", "site", "brussels");
        assertThat(SeriesKey.isKeyOf("t{room=\"12\",site=\"brussels\"}", "t", tags)).isTrue();
        assertThat(SeriesKey.isKeyOf("t{site=\"brussels\",room=\"12\"}", "t", tags)).isFalse();
        assertThat(SeriesKey.isKeyOf("t{room=\"12\"}", "t", tags)).isFalse();
        assertThat(SeriesKey.isKeyOf("t{a=\"1\",room=\"12\",site=\"brussels\"}", "t", tags))
                .isFalse();
        assertThat(SeriesKey.isKeyOf("t", "t", tags)).isFalse();
        assertThat(SeriesKey.isKeyOf("t", "t", Map.of())).isTrue();
        assertThat(SeriesKey.isKeyOf("t{}", "t", Map.of())).isFalse();
        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("room", null);
        assertThat(SeriesKey.isKeyOf("t{room=\"null\"}", "t", nullValue)).isFalse();
    }

    private static Map<String, String> randomTags(Random random, String alphabet) {
        Map<String, String> tags = new HashMap<>();
        int count = random.nextInt(4);
        for (int i = 0; i < count; i++) {
            tags.put(
                    randomText(random, "abc_", 1 + random.nextInt(3)),
                    randomText(random, alphabet, random.nextInt(5)));
        }
        return tags;
    }

    private static String randomText(Random random, String alphabet, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private static String mutate(Random random, String key, String alphabet) {
        int at = random.nextInt(key.length() + 1);
        char c = alphabet.charAt(random.nextInt(alphabet.length()));
        return switch (random.nextInt(3)) {
            case 0 -> key.substring(0, at) + c + key.substring(at);
            case 1 -> at == key.length() ? key : key.substring(0, at) + key.substring(at + 1);
            default -> at == key.length() ? key : key.substring(0, at) + c + key.substring(at + 1);
        };
    }
}
