package io.tsflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.tsflow.alerts.config.AlertsConfig;
import io.tsflow.common.config.ConfigLoader;
import io.tsflow.common.config.Validatable;
import io.tsflow.derived.config.DerivedSeriesConfig;
import io.tsflow.ingest.config.IngestConfig;
import io.tsflow.query.QueryConfig;
import io.tsflow.rollup.config.RollupConfig;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart ({@code helm/tsflow}), rendered and linted by Helm itself: each FlinkDeployment
 * valid against the Flink Kubernetes Operator's own CRD schema with unknown fields refused, each
 * rendered job configuration accepted by its job, credentials only from Secrets, and bad values
 * refused by {@code values.schema.json}.
 */
class HelmChartTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path CHART = Path.of("..", "helm", "tsflow");
    private static final Map<String, Class<? extends Validatable>> JOB_CONFIGS =
            Map.of(
                    "ingest-normalize", IngestConfig.class,
                    "rollup", RollupConfig.class,
                    "alerts", AlertsConfig.class,
                    "derived-series", DerivedSeriesConfig.class);

    private static List<JsonNode> render(Map<String, Object> values) throws Exception {
        return render("tsflow", values);
    }

    private static List<JsonNode> render(String release, Map<String, Object> values)
            throws Exception {
        var template = new Helm(CHART).template().withName(release);
        values.forEach(template::set);
        List<JsonNode> documents = new ArrayList<>();
        var parser = YAML.getFactory().createParser(template.call());
        for (Iterator<JsonNode> it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
            JsonNode document = it.next();
            if (document != null && !document.isEmpty()) {
                documents.add(document);
            }
        }
        return documents;
    }

    private static Map<String, JsonNode> jobConfigs(String release, Map<String, Object> values)
            throws Exception {
        JsonNode configMap =
                render(release, values).stream()
                        .filter(d -> d.path("kind").asText().equals("ConfigMap"))
                        .findFirst()
                        .orElseThrow();
        Map<String, JsonNode> configs = new java.util.TreeMap<>();
        for (String job : JOB_CONFIGS.keySet()) {
            String yaml = configMap.path("data").path(job + ".yaml").asText();
            if (!yaml.isEmpty()) {
                configs.put(job, YAML.readTree(yaml));
            }
        }
        return configs;
    }

    @Test
    void twoReleasesOnOneKafkaClusterShareNoConsumerGroupAndNoTransactionalIds() throws Exception {
        Map<String, Object> values = Map.of("jobs.derived-series.enabled", true);
        Map<String, JsonNode> first = jobConfigs("plant-a", values);
        Map<String, JsonNode> second = jobConfigs("plant-b", values);
        assertThat(first).hasSize(4);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Map<String, JsonNode> release : List.of(first, second)) {
            release.forEach(
                    (job, config) -> {
                        assertThat(seen.add("group " + config.path("consumerGroup").asText()))
                                .as(job)
                                .isTrue();
                        assertThat(
                                        seen.add(
                                                "transactions "
                                                        + config.path("transactionalIdPrefix")
                                                                .asText()))
                                .as(job)
                                .isTrue();
                    });
        }
        assertThat(first.get("rollup").path("consumerGroup").asText()).isEqualTo("plant-a-rollup");
        // A value the user sets is kept.
        Map<String, JsonNode> pinned =
                jobConfigs(
                        "plant-a",
                        Map.of("jobs.rollup.config.consumerGroup", "legacy-rollup-group"));
        assertThat(pinned.get("rollup").path("consumerGroup").asText())
                .isEqualTo("legacy-rollup-group");
        assertThat(pinned.get("rollup").path("transactionalIdPrefix").asText())
                .isEqualTo("plant-a-rollup");
    }

    @Test
    void theChartLintsCleanly() {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(lint.getMessages().toString()).isFalse();
    }

    @Test
    void everyFlinkDeploymentMatchesTheOperatorsCrdWithUnknownFieldsRefused() throws Exception {
        JsonSchema crd = flinkDeploymentSchema();
        List<JsonNode> deployments =
                render(Map.of("jobs.derived-series.enabled", true)).stream()
                        .filter(d -> d.path("kind").asText().equals("FlinkDeployment"))
                        .toList();
        assertThat(deployments).hasSize(4);
        for (JsonNode deployment : deployments) {
            Set<ValidationMessage> problems = crd.validate(deployment);
            assertThat(problems).as(deployment.path("metadata").path("name").asText()).isEmpty();
            assertThat(deployment.path("spec").path("job").path("upgradeMode").asText())
                    .isEqualTo("savepoint");
        }
        // The check bites: a misspelled field is refused.
        ObjectNode misspelled = deployments.get(0).deepCopy();
        ((ObjectNode) misspelled.path("spec").path("job")).put("upgradeMod", "savepoint");
        assertThat(crd.validate(misspelled)).isNotEmpty();
    }

    @Test
    void everyRenderedJobConfigurationIsAcceptedByItsJob() throws Exception {
        JsonNode configMap =
                render(Map.of("jobs.derived-series.enabled", true)).stream()
                        .filter(d -> d.path("kind").asText().equals("ConfigMap"))
                        .findFirst()
                        .orElseThrow();
        for (Map.Entry<String, Class<? extends Validatable>> job : JOB_CONFIGS.entrySet()) {
            String yaml = configMap.path("data").path(job.getKey() + ".yaml").asText();
            assertThat(yaml).as(job.getKey()).isNotEmpty();
            ConfigLoader.load(
                    new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
                    job.getValue(),
                    job.getKey() + ".yaml");
        }
    }

    @Test
    void theQueryServiceIsADeploymentAndAServiceWhoseConfigurationLoads() throws Exception {
        List<JsonNode> documents =
                render(
                        Map.of(
                                "secrets.name",
                                "tsflow",
                                "secrets.keys.TSFLOW_CASSANDRA_PASSWORD",
                                "cassandra-password"));
        JsonNode deployment = only(documents, "Deployment");
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        assertThat(container.path("command").toString())
                .contains("/opt/tsflow/tsflow-query-server.jar", "/opt/tsflow/query/query.yaml");
        assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(18086);
        assertThat(container.path("env").toString())
                .contains("TSFLOW_CASSANDRA_PASSWORD_FILE")
                .doesNotContain("\"value\":\"cassandra-password\"");
        JsonNode service = only(documents, "Service");
        assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(18086);
        assertThat(service.at("/spec/selector"))
                .isEqualTo(deployment.at("/spec/selector/matchLabels"));

        String yaml =
                documents.stream()
                        .filter(d -> d.at("/metadata/name").asText().equals("tsflow-query-config"))
                        .findFirst()
                        .orElseThrow()
                        .at("/data/query.yaml")
                        .asText();
        QueryConfig config =
                ConfigLoader.load(
                        new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)),
                        QueryConfig.class,
                        "query.yaml");
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.rollupIntervals()).containsExactly("1m", "1h", "1d");
        assertThat(config.cassandra().keyspace()).isEqualTo("tsflow");

        assertThat(render(Map.of("query.enabled", false)))
                .noneMatch(d -> d.path("kind").asText().equals("Deployment"));
    }

    private static JsonNode only(List<JsonNode> documents, String kind) {
        List<JsonNode> ofKind =
                documents.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
        assertThat(ofKind).as(kind).hasSize(1);
        return ofKind.get(0);
    }

    @Test
    void credentialsComeFromAMountedSecretNeverFromValuesOrTheEnvironment() throws Exception {
        JsonNode pod =
                flinkDeployment(
                                render(
                                        Map.of(
                                                "secrets.name", "tsflow-credentials",
                                                "secrets.keys.TSFLOW_KAFKA_PASSWORD",
                                                        "kafka-password",
                                                "tls.secretName", "tsflow-tls")))
                        .at("/spec/podTemplate/spec");
        JsonNode container = pod.at("/containers/0");
        // The pod's environment only points at the file: the password itself is in no variable.
        assertThat(container.at("/env/0/name").asText()).isEqualTo("TSFLOW_KAFKA_PASSWORD_FILE");
        assertThat(container.at("/env/0/value").asText())
                .isEqualTo("/etc/tsflow/secrets/kafka-password");
        assertThat(container.at("/env/0").has("valueFrom")).isFalse();
        assertThat(mountPath(container, "tsflow-credentials")).isEqualTo("/etc/tsflow/secrets");
        assertThat(mountPath(container, "tsflow-tls")).isEqualTo("/etc/tsflow/tls");
        assertThat(volume(pod, "tsflow-credentials").at("/secret/secretName").asText())
                .isEqualTo("tsflow-credentials");
        assertThat(volume(pod, "tsflow-tls").at("/secret/secretName").asText())
                .isEqualTo("tsflow-tls");
        // Without a Secret, nothing is mounted.
        JsonNode bare = flinkDeployment(render(Map.of())).at("/spec/podTemplate/spec");
        assertThat(bare.at("/containers/0").has("env")).isFalse();
        assertThat(bare.path("volumes")).hasSize(1);
        // A password among the Kafka properties is refused by the values schema.
        assertThatThrownBy(() -> render(Map.of("kafka.properties.sasl\\.jaas\\.config", "x")))
                .hasMessageContaining("values don't meet the specifications of the schema");
    }

    private static JsonNode flinkDeployment(List<JsonNode> documents) {
        return documents.stream()
                .filter(d -> d.path("kind").asText().equals("FlinkDeployment"))
                .findFirst()
                .orElseThrow();
    }

    private static String mountPath(JsonNode container, String volume) {
        for (JsonNode mount : container.path("volumeMounts")) {
            if (mount.path("name").asText().equals(volume)) {
                assertThat(mount.path("readOnly").asBoolean()).as(volume + " read-only").isTrue();
                return mount.path("mountPath").asText();
            }
        }
        throw new AssertionError("no mount of " + volume + " in " + container);
    }

    private static JsonNode volume(JsonNode pod, String name) {
        for (JsonNode volume : pod.path("volumes")) {
            if (volume.path("name").asText().equals(name)) {
                return volume;
            }
        }
        throw new AssertionError("no volume " + name + " in " + pod);
    }

    @Test
    void badValuesAreRefusedByTheValuesSchema() {
        assertThatThrownBy(() -> render(Map.of("jobs.rollup.parallelism", 0)))
                .hasMessageContaining("parallelism");
        assertThatThrownBy(() -> render(Map.of("jobs.rollup.paralelism", 2)))
                .hasMessageContaining("paralelism");
        assertThatThrownBy(() -> render(Map.of("storage.checkpoints", "/local/dir")))
                .hasMessageContaining("checkpoints");
    }

    /**
     * The FlinkDeployment schema from the operator's CRD, made strict the way the API server is: an
     * object with declared properties accepts no others unless it says so.
     */
    private static JsonSchema flinkDeploymentSchema() throws Exception {
        try (InputStream crd =
                HelmChartTest.class
                        .getClassLoader()
                        .getResourceAsStream(
                                "META-INF/fabric8/flinkdeployments.flink.apache.org-v1.yml")) {
            JsonNode definition = YAML.readTree(crd);
            JsonNode schema = null;
            for (JsonNode version : definition.at("/spec/versions")) {
                if (version.path("name").asText().equals("v1beta1")) {
                    schema = version.at("/schema/openAPIV3Schema").deepCopy();
                }
            }
            // The API server checks these itself; the CRD's schema leaves them out.
            ObjectNode root = (ObjectNode) schema.path("properties");
            root.putObject("apiVersion").put("type", "string");
            root.putObject("kind").put("type", "string");
            root.putObject("metadata").put("type", "object");
            strict(schema);
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema);
        }
    }

    private static void strict(JsonNode node) {
        if (node == null || !node.isObject()) {
            if (node != null && node.isArray()) {
                node.forEach(HelmChartTest::strict);
            }
            return;
        }
        ObjectNode object = (ObjectNode) node;
        if (object.has("properties")
                && !object.has("additionalProperties")
                && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            object.put("additionalProperties", false);
        }
        object.fields().forEachRemaining(field -> strict(field.getValue()));
    }
}
