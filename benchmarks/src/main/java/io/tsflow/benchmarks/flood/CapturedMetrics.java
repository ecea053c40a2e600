package io.tsflow.benchmarks.flood;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A metric reporter that keeps every counter and gauge of the in-process MiniClusters by its full
 * identifier, so that a harness reads what an operator would see on a dashboard (the jobs' own
 * metrics) without a metrics server. Enabled with {@code metrics.reporter.<name>.factory.class} set
 * to {@link Factory}.
 */
public final class CapturedMetrics implements MetricReporter {

    private static final Map<String, Metric> METRICS = new ConcurrentHashMap<>();

    /** Creates the reporter; found by Flink through {@code META-INF/services}. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new CapturedMetrics();
        }
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        METRICS.put(group.getMetricIdentifier(name), metric);
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        METRICS.remove(group.getMetricIdentifier(name), metric);
    }

    /**
     * The sum over every subtask and job of the counters or numeric gauges whose identifier
     * contains {@code jobName} and ends with {@code suffix} (for example {@code
     * ".tsflow.alertsFired"}).
     */
    public static long sum(String jobName, String suffix) {
        long total = 0;
        for (Map.Entry<String, Metric> entry : METRICS.entrySet()) {
            String id = entry.getKey();
            if (!id.contains(jobName) || !id.endsWith(suffix)) {
                continue;
            }
            Metric metric = entry.getValue();
            if (metric instanceof Counter counter) {
                total += counter.getCount();
            } else if (metric instanceof Gauge<?> gauge && gauge.getValue() instanceof Number n) {
                total += n.longValue();
            }
        }
        return total;
    }
}
