package io.tsflow.rollup.pipeline;

import io.tsflow.schema.Aggregation;
import io.tsflow.schema.Observation;
import java.util.Map;

/** The identity of a series as carried by observations and aggregates alike. */
public record SeriesRef(String seriesKey, String metric, Map<String, String> tagset, String type) {

    public static SeriesRef of(Observation observation) {
        return new SeriesRef(
                observation.getSeriesKey(),
                observation.getMetric(),
                observation.getTagset(),
                observation.getType());
    }

    public static SeriesRef of(Aggregation aggregation) {
        return new SeriesRef(
                aggregation.getSeriesKey(),
                aggregation.getMetric(),
                aggregation.getTagset(),
                aggregation.getType());
    }
}
