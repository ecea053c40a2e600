package io.tsflow.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Targets and Graphite's functions over fixed series (no storage): three hosts' request counters in
 * two data centres, one point a minute.
 */
class TargetEvaluatorTest {

    private static final long MINUTE = 60_000_000L;
    private static final double NAN = Double.NaN;

    private final List<List<TagMatcher>> fetched = new ArrayList<>();
    private final TargetEvaluator evaluator =
            new TargetEvaluator(
                    matchers -> {
                        fetched.add(matchers);
                        return List.of(
                                        series("a", "dc1", 0, 60, 120, 30, 90),
                                        series("b", "dc1", 10, 20, NAN, 40, 50),
                                        series("c", "dc2", 5, 5, 5, 5, 5))
                                .stream()
                                .filter(
                                        one ->
                                                matchers.stream()
                                                        .allMatch(
                                                                m ->
                                                                        m.matches(
                                                                                "requests",
                                                                                one.tags())))
                                .toList();
                    });

    private static RenderedSeries series(String host, String dc, double... values) {
        TreeMap<String, String> tags = new TreeMap<>(Map.of("host", host, "dc", dc));
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            points.add(new Point(i * MINUTE, values[i]));
        }
        tags.put("name", "requests");
        return new RenderedSeries(
                "requests;host=" + host, tags, Level.RAW, points, List.of("requests;host=" + host));
    }

    private static List<Double> values(RenderedSeries series) {
        return series.points().stream().map(Point::value).toList();
    }

    @Test
    void pipesAndNestingReadTheSame() {
        List<RenderedSeries> nested =
                evaluator.evaluate("scale(seriesByTag('name=requests','dc=dc1'), 2)");
        List<RenderedSeries> piped =
                evaluator.evaluate("seriesByTag(\"name=requests\", \"dc=dc1\") | scale(2)");
        assertThat(nested).hasSize(2).isEqualTo(piped);
        assertThat(values(nested.get(0))).containsExactly(0.0, 120.0, 240.0, 60.0, 180.0);
        assertThat(nested.get(0).target()).isEqualTo("scale(requests;host=a,2.0)");
        assertThat(fetched.get(0))
                .extracting(TagMatcher::toString)
                .containsExactly("name=requests", "dc=dc1");
    }

    @Test
    void aliasByTagsNamesEachSeriesByItsTagValues() {
        assertThat(evaluator.evaluate("aliasByTags(seriesByTag('name=requests'), 'dc', 'host')"))
                .extracting(RenderedSeries::target)
                .containsExactly("dc1.a", "dc1.b", "dc2.c");
    }

    @Test
    void sumAndAverageSkipMissingValues() {
        RenderedSeries sum = evaluator.evaluate("sumSeries(seriesByTag('dc=dc1'))").get(0);
        assertThat(values(sum)).containsExactly(10.0, 80.0, 120.0, 70.0, 140.0);
        assertThat(sum.tags()).containsEntry("dc", "dc1").doesNotContainKey("host");
        RenderedSeries average = evaluator.evaluate("averageSeries(seriesByTag('dc=dc1'))").get(0);
        assertThat(values(average)).containsExactly(5.0, 40.0, 120.0, 35.0, 70.0);
    }

    @Test
    void groupByTagsMakesOneSeriesPerGroup() {
        List<RenderedSeries> groups =
                evaluator.evaluate("seriesByTag('name=requests')|groupByTags('sum','dc')");
        assertThat(groups)
                .extracting(RenderedSeries::target)
                .containsExactly("sum;dc=dc1", "sum;dc=dc2");
        assertThat(values(groups.get(0))).containsExactly(10.0, 80.0, 120.0, 70.0, 140.0);
        assertThat(values(groups.get(1))).containsExactly(5.0, 5.0, 5.0, 5.0, 5.0);
        assertThat(groups.get(0).tags())
                .containsExactly(Map.entry("dc", "dc1"), Map.entry("name", "sum"));

        List<RenderedSeries> byName =
                evaluator.evaluate("groupByTags(seriesByTag('name=requests'),'average','name')");
        assertThat(byName).extracting(RenderedSeries::target).containsExactly("requests");
    }

    @Test
    void derivativesTreatADropAsACounterReset() {
        RenderedSeries a =
                evaluator.evaluate("nonNegativeDerivative(seriesByTag('host=a'))").get(0);
        assertThat(values(a)).containsExactly(NAN, 60.0, 60.0, NAN, 60.0);
        RenderedSeries wrapped =
                evaluator.evaluate("nonNegativeDerivative(seriesByTag('host=a'), 127)").get(0);
        assertThat(values(wrapped)).containsExactly(NAN, 60.0, 60.0, 38.0, 60.0);
        RenderedSeries perSecond = evaluator.evaluate("perSecond(seriesByTag('host=a'))").get(0);
        assertThat(values(perSecond)).containsExactly(NAN, 1.0, 1.0, NAN, 1.0);
    }

    @Test
    void keepLastValueFillsGapsUpToTheLimit() {
        assertThat(values(evaluator.evaluate("keepLastValue(seriesByTag('host=b'))").get(0)))
                .containsExactly(10.0, 20.0, 20.0, 40.0, 50.0);
        assertThat(values(evaluator.evaluate("keepLastValue(seriesByTag('host=b'), 0)").get(0)))
                .containsExactly(10.0, 20.0, NAN, 40.0, 50.0);
    }

    @Test
    void summarizeAndMovingAverage() {
        RenderedSeries twoMinutes =
                evaluator.evaluate("summarize(seriesByTag('host=a'), '2min', 'max')").get(0);
        assertThat(twoMinutes.points())
                .containsExactly(
                        new Point(0, 60.0),
                        new Point(2 * MINUTE, 120.0),
                        new Point(4 * MINUTE, 90.0));
        assertThat(twoMinutes.target()).isEqualTo("summarize(requests;host=a,'2min','max')");
        assertThat(values(evaluator.evaluate("movingAverage(seriesByTag('host=b'), 2)").get(0)))
                .containsExactly(10.0, 15.0, 20.0, 40.0, 45.0);
        // A time window: the points of the last two minutes, the point's own minute included.
        assertThat(values(evaluator.evaluate("movingAverage(seriesByTag('host=b'),'2min')").get(0)))
                .containsExactly(10.0, 15.0, 20.0, 40.0, 45.0);
    }

    @Test
    void mistakesSayWhatIsWrong() {
        assertThatThrownBy(() -> evaluator.evaluate("scale(seriesByTag('host=a'), 'x')"))
                .isInstanceOf(BadQueryException.class)
                .hasMessageContaining("scale: argument 2 must be a number");
        assertThatThrownBy(() -> evaluator.evaluate("median(seriesByTag('host=a'))"))
                .hasMessageContaining("unknown function 'median'");
        assertThatThrownBy(() -> evaluator.evaluate("scale(seriesByTag('host=a'), 2"))
                .hasMessageContaining("missing ')'");
        assertThatThrownBy(() -> evaluator.evaluate("seriesByTag('host=a')|2"))
                .hasMessageContaining("a function must follow '|'");
        assertThatThrownBy(() -> evaluator.evaluate("summarize(seriesByTag('host=a'), '2x')"))
                .hasMessageContaining("not an interval");
        assertThatThrownBy(
                        () ->
                                evaluator.evaluate(
                                        "groupByTags(seriesByTag('host=a'), 'median', 'dc')"))
                .hasMessageContaining("unknown aggregation 'median'");
    }
}
