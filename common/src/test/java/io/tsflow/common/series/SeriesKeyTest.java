package io.tsflow.common.series;

import static org.assertj.core.api.Assertions.assertThat;

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
}
