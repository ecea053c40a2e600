package io.tsflow.ingest.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsflow.common.config.ConfigException;
import io.tsflow.common.config.ConfigLoader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Settings the job would accept and the stores would then refuse on every write. */
class IngestConfigTest {

    private static IngestConfig load(String yaml) {
        return ConfigLoader.load(
                new ByteArrayInputStream(
                        ("kafka: {bootstrapServers: 'localhost:9092'"
                                        + (yaml.contains("max.request.size")
                                                ? ", properties: {max.request.size: '4194304'}"
                                                : "")
                                        + "}\n"
                                        + "schemaRegistry: {url: 'http://localhost:8081'}\n"
                                        + (yaml.contains("cassandra:")
                                                ? ""
                                                : "cassandra: {contactPoints:"
                                                        + " ['localhost:9042']}\n")
                                        + yaml.replace("max.request.size", ""))
                                .getBytes(StandardCharsets.UTF_8)),
                IngestConfig.class,
                "ingest.yaml");
    }

    @Test
    void theDefaultsFitCassandraAndKafka() {
        assertThat(load("").ingest().limits().maxTags()).isEqualTo(32);
    }

    @Test
    void aSeriesKeyThatCouldOutgrowCassandrasPartitionKeyIsRefused() {
        assertThatThrownBy(() -> load("ingest: {limits: {maxTagValueLength: 4096}}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ingest.limits")
                .hasMessageContaining("partition key limit of 64 KiB");
    }

    @Test
    void aValueThatCouldOutgrowAKafkaRecordIsRefusedUnlessTheProducersAllowIt() {
        String bigBinaries = "ingest: {limits: {maxBinaryBytes: 2097152}}\n";
        assertThatThrownBy(() -> load(bigBinaries))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("max.request.size of 1048576");
        assertThat(load(bigBinaries + "max.request.size").ingest().limits().maxBinaryBytes())
                .isEqualTo(2097152);
    }

    @Test
    void aRawTtlCassandraWouldRefuseIsRefusedAtStart() {
        assertThatThrownBy(() -> load("storage: {ttl: 7300d}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("storage.ttl")
                .hasMessageContaining("Cassandra's largest TTL less 32d");
        assertThat(load("storage: {ttl: 7000d}\n").storage().ttl().toDays()).isEqualTo(7000);
    }

    @Test
    void consistencyAnyIsRefused() {
        assertThatThrownBy(
                        () ->
                                load(
                                        "cassandra: {contactPoints: ['localhost:9042'],"
                                                + " consistency: ANY}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cassandra.consistency")
                .hasMessageContaining("ANY is refused");
    }
}
