package io.tsflow.connectors.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsflow.common.config.CredentialsRefusedException;
import io.tsflow.common.config.Secret;
import io.tsflow.testing.LocalServers;
import io.tsflow.testing.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.InstantiationUtil;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The local broker's SASL_SSL listener (SCRAM-SHA-512 over TLS, see scripts/services.sh) against
 * the client properties and the start-up check the jobs use.
 */
class SecuredKafkaTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final LocalServers SERVERS = LocalServers.get();
    private static String topic;

    @BeforeAll
    static void createTopic() {
        topic = TestKafka.uniqueName("secured");
        new TestKafka(SERVERS.kafkaBootstrap()).createTopics(1, topic);
    }

    private static KafkaSettings secured(Map<String, String> overrides) {
        Map<String, String> properties =
                new TreeMap<>(
                        Map.of(
                                "security.protocol", "SASL_SSL",
                                "sasl.mechanism", "SCRAM-SHA-512",
                                "ssl.truststore.type", "PKCS12",
                                "ssl.truststore.location", SERVERS.truststore()));
        properties.putAll(overrides);
        return new KafkaSettings(SERVERS.kafkaSecureBootstrap(), properties, null);
    }

    /** The environment's credentials, with {@code replaced} ones swapped in. */
    private static Function<String, Optional<Secret>> environmentWith(
            Map<String, String> replaced) {
        return variable ->
                replaced.containsKey(variable)
                        ? Optional.of(Secret.of(variable, replaced.get(variable)))
                        : Secret.fromEnvironment(variable);
    }

    @Test
    void theRightCredentialsProduceAndConsumeOverTls() {
        KafkaSettings settings = secured(Map.of());
        KafkaAccessCheck.verify(settings, List.of(topic), TIMEOUT);

        // The producer as the jobs' sinks make it: placeholders, resolved here by the provider.
        Properties producerProperties = KafkaClientProperties.forTasks(settings);
        assertThat(producerProperties.getProperty("sasl.jaas.config"))
                .contains("${tsflow:TSFLOW_KAFKA_PASSWORD#jaas}");
        producerProperties.put("key.serializer", StringSerializer.class.getName());
        producerProperties.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties)) {
            producer.send(new ProducerRecord<>(topic, "k", "over SASL_SSL")).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }

        Properties consumerProperties = KafkaClientProperties.build(settings);
        consumerProperties.put("key.deserializer", StringDeserializer.class.getName());
        consumerProperties.put("value.deserializer", StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProperties)) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record :
                        consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
            assertThat(values).containsExactly("over SASL_SSL");
        }
    }

    @Test
    void aWrongPasswordStopsTheStartWithAMessageThatNamesTheVariablesNotTheSecret() {
        String wrong = "not-the-password-" + System.nanoTime();
        long started = System.nanoTime();
        assertThatThrownBy(
                        () ->
                                KafkaAccessCheck.verify(
                                        secured(Map.of()),
                                        List.of(topic),
                                        TIMEOUT,
                                        environmentWith(Map.of("TSFLOW_KAFKA_PASSWORD", wrong))))
                .isInstanceOf(CredentialsRefusedException.class)
                .hasMessageContaining(SERVERS.kafkaSecureBootstrap())
                .hasMessageContaining("user 'tsflow'")
                .hasMessageContaining("TSFLOW_KAFKA_PASSWORD")
                .hasMessageNotContaining(wrong);
        // Fails on the broker's answer, not by waiting out the 30 s timeout.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT);
    }

    @Test
    void anUnknownUserIsRefusedToo() {
        assertThatThrownBy(
                        () ->
                                KafkaAccessCheck.verify(
                                        secured(Map.of()),
                                        List.of(topic),
                                        TIMEOUT,
                                        environmentWith(
                                                Map.of("TSFLOW_KAFKA_USERNAME", "mallory"))))
                .isInstanceOf(CredentialsRefusedException.class)
                .hasMessageContaining("user 'mallory'");
    }

    @Test
    void aServerCertificateOutsideTheTruststoreFailsTheTlsHandshake() {
        // Without a truststore the JDK's default CAs apply, and none of them signed the local
        // certificate.
        KafkaSettings untrusted =
                new KafkaSettings(
                        SERVERS.kafkaSecureBootstrap(),
                        Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512"),
                        null);
        assertThatThrownBy(() -> KafkaAccessCheck.verify(untrusted, List.of(topic), TIMEOUT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TLS handshake")
                .hasMessageContaining("ssl.truststore.location");
    }

    @Test
    void aMissingTopicIsNamed() {
        assertThatThrownBy(
                        () ->
                                KafkaAccessCheck.verify(
                                        secured(Map.of()),
                                        List.of(topic, "no-such-topic-" + System.nanoTime()),
                                        TIMEOUT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("create them first");
    }

    @Test
    void settingsKafkaCannotUseAreReportedBeforeAnyConnection() {
        assertThatThrownBy(
                        () ->
                                KafkaAccessCheck.verify(
                                        secured(Map.of("ssl.truststore.location", "/nonexistent")),
                                        List.of(topic),
                                        TIMEOUT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("kafka.properties");
    }

    @Test
    void thePlaintextListenerStillServesTheSameTopics() {
        KafkaAccessCheck.verify(
                KafkaSettings.of(SERVERS.kafkaBootstrap()), List.of(topic), TIMEOUT);
    }

    @Test
    void theSourcesAndSinksAJobSubmitsCarryNoSecret() throws Exception {
        KafkaSettings settings = secured(Map.of());
        List<String> secrets = new ArrayList<>();
        for (String variable :
                List.of("TSFLOW_KAFKA_PASSWORD", "TSFLOW_KAFKA_SSL_TRUSTSTORE_PASSWORD")) {
            secrets.add(
                    Secret.fromEnvironment(variable)
                            .orElseThrow(() -> new AssertionError(variable + " is not set"))
                            .reveal());
        }
        List<byte[]> submitted =
                List.of(
                        InstantiationUtil.serializeObject(
                                KafkaConnectors.exactlyOnceSink(
                                        settings,
                                        KafkaRecordSerializationSchema.<String>builder()
                                                .setTopic(topic)
                                                .setValueSerializationSchema(
                                                        new SimpleStringSchema())
                                                .build(),
                                        "secrets-test")),
                        InstantiationUtil.serializeObject(
                                KafkaConnectors.boundedSource(
                                        settings,
                                        topic,
                                        "secrets-test",
                                        KafkaRecordDeserializationSchema.valueOnly(
                                                new SimpleStringSchema()))));
        for (byte[] bytes : submitted) {
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            assertThat(text).contains("${tsflow:TSFLOW_KAFKA_PASSWORD#jaas}");
            for (String secret : secrets) {
                assertThat(text).doesNotContain(secret);
            }
        }
    }
}
