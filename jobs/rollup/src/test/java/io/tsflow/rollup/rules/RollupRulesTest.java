package io.tsflow.rollup.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.ConfigLoader;
import io.tsflow.rollup.config.RollupConfig;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Rules as a user writes them in the configuration file, and the policies they give. */
class RollupRulesTest {

    private static final String CONNECTIONS =
            "kafka: {bootstrapServers: 'localhost:9092'}\n"
                    + "schemaRegistry: {url: 'http://localhost:8081'}\n"
                    + "storageEnabled: false\n"
                    + "levels:\n"
                    + "  - {interval: 1m, retention: 90d}\n"
                    + "  - {interval: 1h, retention: 730d}\n"
                    + "  - {interval: 1d, retention: 0s}\n";

    private static RollupConfig load(String rules) {
        String yaml = CONNECTIONS + "rules:\n" + rules;
        return ConfigLoader.load(
                new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
                RollupConfig.class,
                "rules-test.yaml");
    }

    @Test
    void theFirstMatchingRuleSetsThePolicyAndTheRestTakeTheDefault() {
        RollupRules rules =
                load("  - name: prod-requests\n"
                                + "    metric: 'http\\..*'\n"
                                + "    tags: {env: 'prod|live'}\n"
                                + "    counter: true\n"
                                + "    intervals: [1h, 1d]\n"
                                + "    retention: {1h: 30d}\n"
                                + "    quantiles: [0.5, 0.999]\n"
                                + "    sketch: false\n"
                                + "  - {name: all-http, metric: 'http\\..*', zone:"
                                + " Europe/Brussels}\n")
                        .rollupRules();

        SeriesPolicy prod = rules.policyFor("http.requests", Map.of("env", "live"));
        assertThat(prod.rule()).isEqualTo("prod-requests");
        assertThat(prod.counter()).isTrue();
        assertThat(prod.publishes("1m")).isFalse();
        assertThat(prod.publishes("1h")).isTrue();
        assertThat(prod.retentionOf("1h", Duration.ofDays(730))).isEqualTo(Duration.ofDays(30));
        assertThat(prod.retentionOf("1d", Duration.ZERO)).isEqualTo(Duration.ZERO);
        assertThat(prod.quantiles()).containsExactly(entry("p50", 0.5), entry("p99.9", 0.999));
        assertThat(prod.publishSketch()).isFalse();

        // The tag matcher matches the whole value, and a matcher on a missing tag fails.
        SeriesPolicy staging = rules.policyFor("http.requests", Map.of("env", "production"));
        assertThat(staging.rule()).isEqualTo("all-http");
        assertThat(staging.zone()).isEqualTo(ZoneId.of("Europe/Brussels"));
        assertThat(staging.publishes("1m")).isTrue();
        assertThat(staging.quantiles()).isEqualTo(SeriesPolicy.DEFAULT_QUANTILES);
        assertThat(staging.publishSketch()).isTrue();
        assertThat(rules.policyFor("http.requests", Map.of()).rule()).isEqualTo("all-http");

        assertThat(rules.policyFor("cpu.load", Map.of("env", "prod")))
                .isSameAs(SeriesPolicy.DEFAULT);
    }

    @Test
    void aZoneTagGivesEachSeriesItsOwnZoneAndABadZoneKeepsTheRules() {
        RollupRules rules = RulesYaml.rules("{name: sites, zone: UTC, zoneTag: tz}");
        assertThat(rules.policyFor("t", Map.of("tz", "Asia/Kolkata")).zone())
                .isEqualTo(ZoneId.of("Asia/Kolkata"));
        assertThat(rules.policyFor("t", Map.of("tz", "Mars/Olympus")).zone())
                .isEqualTo(ZoneId.of("UTC"));
        assertThat(rules.policyFor("t", Map.of()).zone()).isEqualTo(ZoneId.of("UTC"));
        // Policies are built once per zone, not per point.
        assertThat(rules.policyFor("t", Map.of("tz", "Asia/Kolkata")))
                .isSameAs(rules.policyFor("u", Map.of("tz", "Asia/Kolkata", "x", "y")));
    }

    @Test
    void badRulesAreRefusedAtStartWithTheKeyThatIsWrong() {
        assertThatThrownBy(() -> load("  - {name: r, metric: 'http\\.(requests'}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("rules[0].metric")
                .hasMessageContaining("not a regular expression");
        assertThatThrownBy(() -> load("  - {name: r, tags: {host: '*'}}\n"))
                .hasMessageContaining("rules[0].tags.host");
        assertThatThrownBy(() -> load("  - {name: r}\n  - {name: z, zone: Europe/Bruxelles}\n"))
                .hasMessageContaining("rules[1].zone")
                .hasMessageContaining("Europe/Bruxelles");
        assertThatThrownBy(() -> load("  - {name: r, intervals: [1m, 5m]}\n"))
                .hasMessageContaining("rules[0].intervals")
                .hasMessageContaining("'5m' is not one of the levels [1m, 1h, 1d]");
        assertThatThrownBy(() -> load("  - {name: r, retention: {1w: 30d}}\n"))
                .hasMessageContaining("rules[0].retention.1w");
        assertThatThrownBy(() -> load("  - {name: r, retention: {1m: -1d}}\n"))
                .hasMessageContaining("rules[0].retention.1m");
        assertThatThrownBy(() -> load("  - {name: r, quantiles: [0.5, 1.0]}\n"))
                .hasMessageContaining("rules[0].quantiles");
        assertThatThrownBy(() -> load("  - {metric: x}\n")).hasMessageContaining("rules[0].name");
        assertThatThrownBy(() -> load("  - {name: r, aggregate: [sum]}\n"))
                .hasMessageContaining("aggregate");
    }

    @Test
    void aRuleWithoutSettingsKeepsTheDefaults() {
        SeriesPolicy policy =
                load("  - {name: everything}\n").rollupRules().policyFor("m", Map.of("a", "b"));
        assertThat(policy.rule()).isEqualTo("everything");
        assertThat(policy.publishedIntervals()).isNull();
        assertThat(Set.of("1m", "1h", "1d")).allMatch(policy::publishes);
        assertThat(policy.retention()).isEmpty();
        assertThat(policy.zone()).isEqualTo(ZoneId.of("UTC"));
    }

    @Test
    void aPolicySharedByEverySeriesIsKnownWithoutTheSeries() {
        assertThat(new RollupRules(java.util.List.of()).sharedPolicy())
                .isSameAs(SeriesPolicy.DEFAULT);
        RollupRules everySeries =
                load("  - {name: lean, quantiles: [], sketch: false}\n"
                                + "  - {name: http, metric: 'http\\..*', counter: true}\n")
                        .rollupRules();
        assertThat(everySeries.sharedPolicy())
                .isNotNull()
                .isSameAs(everySeries.policyFor("http.requests", Map.of("env", "prod")));
        assertThat(everySeries.sharedPolicy().quantiles()).isEmpty();

        // The policy depends on the series: a metric pattern, a tag matcher, a zone from a tag.
        assertThat(load("  - {name: http, metric: 'http\\..*'}\n").rollupRules().sharedPolicy())
                .isNull();
        assertThat(load("  - {name: prod, tags: {env: prod}}\n").rollupRules().sharedPolicy())
                .isNull();
        assertThat(load("  - {name: zoned, zoneTag: tz}\n").rollupRules().sharedPolicy()).isNull();
    }
}
