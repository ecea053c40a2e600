package io.tsflow.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every contract must stay backward compatible: the current schema (reader) reads data written with
 * every released version (writer). Releasing a version means copying the .avsc to
 * released/NAME/vN.avsc.
 */
class SchemaCompatibilityTest {

    private static final Path CURRENT = Path.of("src/main/avro");
    private static final Path RELEASED = Path.of("released");

    /** Named types other schemas refer to: parsed first, as the code generator imports them. */
    private static final List<String> SHARED_TYPES = List.of("Pos2d", "StructuredValue", "Origin");

    static Stream<String> contracts() throws IOException {
        try (Stream<Path> files = Files.list(CURRENT)) {
            return files
                    .map(p -> p.getFileName().toString().replace(".avsc", ""))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest
    @MethodSource("contracts")
    void currentSchemaReadsEveryReleasedVersion(String name) throws IOException {
        Schema current = parseWithSharedTypes(CURRENT, name, "%s.avsc");
        List<Path> versions = releasedVersions(name);
        assertThat(versions)
                .as("released baseline for %s (copy it to released/%s/v1.avsc)", name, name)
                .isNotEmpty();
        for (Path version : versions) {
            Schema released = parseReleased(name, version);
            SchemaCompatibility.SchemaPairCompatibility result =
                    SchemaCompatibility.checkReaderWriterCompatibility(current, released);
            assertThat(result.getType())
                    .as(
                            "%s must read data written with %s: %s",
                            name, version, result.getDescription())
                    .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        }
    }

    @Test
    void generatedClassesMatchTheContracts() throws IOException {
        for (Schema generated :
                List.of(
                        Observation.getClassSchema(),
                        Rejected.getClassSchema(),
                        RawMessage.getClassSchema(),
                        Aggregation.getClassSchema(),
                        Alert.getClassSchema())) {
            Schema contract = parseWithSharedTypes(CURRENT, generated.getName(), "%s.avsc");
            // The generator adds avro.java.string properties; the canonical form ignores them.
            assertThat(SchemaNormalization.parsingFingerprint64(generated))
                    .as(generated.getName())
                    .isEqualTo(SchemaNormalization.parsingFingerprint64(contract));
        }
    }

    @Test
    void checkerRejectsAFieldAddedWithoutDefault() {
        Schema released =
                new Schema.Parser()
                        .parse(
                                "{\"type\":\"record\",\"name\":\"X\",\"fields\":[{\"name\":\"a\",\"type\":\"long\"}]}");
        Schema breaking =
                new Schema.Parser()
                        .parse(
                                "{\"type\":\"record\",\"name\":\"X\",\"fields\":[{\"name\":\"a\",\"type\":\"long\"},"
                                    + "{\"name\":\"b\",\"type\":\"string\"}]}");
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(breaking, released).getType())
                .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    private static List<Path> releasedVersions(String name) throws IOException {
        Path dir = RELEASED.resolve(name);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return new ArrayList<>(
                    files.filter(p -> p.toString().endsWith(".avsc")).sorted().toList());
        }
    }

    /** A released schema is parsed beside the released shared types of the same version. */
    private static Schema parseReleased(String name, Path version) throws IOException {
        String file = version.getFileName().toString();
        Map<String, Path> sources = new LinkedHashMap<>();
        for (String shared : SHARED_TYPES) {
            Path sharedVersion = RELEASED.resolve(shared).resolve(file);
            if (!shared.equals(name) && Files.exists(sharedVersion)) {
                sources.put(shared, sharedVersion);
            }
        }
        sources.put(name, version);
        return parseAll(sources, name);
    }

    private static Schema parseWithSharedTypes(Path dir, String name, String pattern)
            throws IOException {
        Map<String, Path> sources = new LinkedHashMap<>();
        for (String shared : SHARED_TYPES) {
            if (!shared.equals(name)) {
                sources.put(shared, dir.resolve(String.format(pattern, shared)));
            }
        }
        sources.put(name, dir.resolve(String.format(pattern, name)));
        return parseAll(sources, name);
    }

    private static Schema parseAll(Map<String, Path> sources, String wanted) throws IOException {
        Schema.Parser parser = new Schema.Parser();
        Schema result = null;
        for (Map.Entry<String, Path> source : sources.entrySet()) {
            Schema schema = parser.parse(Files.readString(source.getValue()));
            if (source.getKey().equals(wanted)) {
                result = schema;
            }
        }
        return result;
    }
}
