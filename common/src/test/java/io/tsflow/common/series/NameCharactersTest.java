package io.tsflow.common.series;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class NameCharactersTest {

    // The rules as docs/jobs/ingest-normalize.md states them; the hand-written checks must agree on
    // every name.
    private static final Pattern METRIC = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.:/-]*");
    private static final Pattern TAG_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    @Test
    void agreesWithTheDocumentedPatternsOnChosenNames() {
        for (String name :
                List.of(
                        "",
                        "a",
                        "_",
                        "0",
                        "9lives",
                        "cpu.load:1m/avg-x",
                        ".hidden",
                        "-x",
                        ":x",
                        "a b",
                        "a\tb",
                        "é",
                        "aé",
                        "a\u0000",
                        "Z_z.9-",
                        "a/b",
                        "a:b",
                        "x\n")) {
            check(name);
        }
    }

    @Test
    void agreesWithTheDocumentedPatternsOnRandomNames() {
        String alphabet = "aZ09_.:/- @\u00e9\u0000\u2028[]{}\"'\\";
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            StringBuilder name = new StringBuilder();
            int length = random.nextInt(6);
            for (int j = 0; j < length; j++) {
                name.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            check(name.toString());
        }
    }

    private static void check(String name) {
        assertThat(NameCharacters.isMetricName(name))
                .as("metric '%s'", name)
                .isEqualTo(METRIC.matcher(name).matches());
        assertThat(NameCharacters.isTagKey(name))
                .as("tag key '%s'", name)
                .isEqualTo(TAG_KEY.matcher(name).matches());
    }
}
