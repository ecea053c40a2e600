package io.tsflow.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class QueryConfigTest {

    private static final String CASSANDRA =
            "cassandra: {contactPoints: ['127.0.0.1:9042'], localDatacenter: dc1, keyspace: ts}\n";

    private static QueryConfig load(String yaml) {
        return ConfigLoader.load(
                new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
                QueryConfig.class,
                "query.yaml");
    }

    @Test
    void theLocalConfigurationLoads() {
        QueryConfig local =
                ConfigLoader.load(Path.of("../config/local/query.yaml"), QueryConfig.class);
        assertThat(local.port()).isEqualTo(18086);
        assertThat(local.levels()).extracting(Level::name).containsExactly("10s", "1m", "1h", "1d");
    }

    @Test
    void defaultsFillWhatIsLeftOut() {
        QueryConfig config = load(CASSANDRA);
        assertThat(config.rollupIntervals()).containsExactly("1m", "1h", "1d");
        assertThat(config.limits()).isEqualTo(new QueryLimits(1_000, 100_000));
        assertThat(config.storage().shard()).isEqualTo("month");
        assertThat(config.alertmanagerUrl()).isNull();
    }

    @Test
    void badValuesAreRefusedWithTheirKey() {
        assertThatThrownBy(() -> load("port: 18086\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cassandra");
        assertThatThrownBy(() -> load(CASSANDRA + "maxSeries: 0\n"))
                .hasMessageContaining("maxSeries");
        assertThatThrownBy(() -> load(CASSANDRA + "rollupIntervals: [1m, often]\n"))
                .hasMessageContaining("rollupIntervals");
        assertThatThrownBy(() -> load(CASSANDRA + "alertmanagerUrl: alertmanager:9093\n"))
                .hasMessageContaining("alertmanagerUrl");
    }
}
