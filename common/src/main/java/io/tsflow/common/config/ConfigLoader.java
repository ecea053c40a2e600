package io.tsflow.common.config;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.InjectableValues;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads a job's YAML configuration into its typed configuration record and validates it. Unknown
 * keys, values of the wrong type and failed checks are reported with the full key, for example
 * {@code ingest.limits.maxTags: must be between 1 and 1000}. Secrets are never read from the file;
 * see {@link Secret}.
 */
public final class ConfigLoader {

    private ConfigLoader() {}

    public static <T extends Validatable> T load(Path file, Class<T> type) {
        try (InputStream in = Files.newInputStream(file)) {
            return load(in, type, file.toString());
        } catch (IOException e) {
            throw new ConfigException(
                    "cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
    }

    public static <T extends Validatable> T loadResource(String resource, Class<T> type) {
        try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new ConfigException("configuration resource not found: " + resource);
            }
            return load(in, type, resource);
        } catch (IOException e) {
            throw new ConfigException(
                    "cannot read configuration " + resource + ": " + e.getMessage(), e);
        }
    }

    public static <T extends Validatable> T load(InputStream in, Class<T> type, String source) {
        T config;
        Set<String> sharedKeys = new TreeSet<>();
        try {
            ObjectMapper mapper = mapper();
            JsonNode tree = mapper.readTree(in);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                throw new ConfigException(source + ": the configuration is empty");
            }
            InjectableValues.Std sections = new InjectableValues.Std();
            for (Class<?> section : injectedSections(type)) {
                Set<String> keys = keysOf(mapper, section);
                ObjectNode part = mapper.createObjectNode();
                if (tree instanceof ObjectNode top) {
                    for (String key : keys) {
                        JsonNode value = top.remove(key);
                        if (value != null) {
                            part.set(key, value);
                        }
                    }
                }
                sections.addValue(section, mapper.treeToValue(part, section));
                sharedKeys.addAll(keys);
            }
            config = mapper.readerFor(type).with(sections).readValue(tree);
        } catch (UnrecognizedPropertyException e) {
            Set<String> known = new TreeSet<>();
            e.getKnownPropertyIds().forEach(key -> known.add(key.toString()));
            if (e.getPath().size() == 1) {
                known.addAll(sharedKeys); // read from the same level
            }
            throw new ConfigException(
                    source
                            + ": unknown key '"
                            + keyPath(e)
                            + "' (known here: "
                            + String.join(", ", known)
                            + ")",
                    e);
        } catch (JsonMappingException e) {
            throw new ConfigException(source + ": " + keyPath(e) + ": " + rootMessage(e), e);
        } catch (IOException e) {
            throw new ConfigException(source + ": not valid YAML: " + e.getMessage(), e);
        }
        config.validate("");
        return config;
    }

    /**
     * The types a configuration record takes as {@code @JacksonInject} parameters of its creator:
     * sections shared by several files (every job's connections, for example), whose keys stand at
     * the record's own level in the file.
     */
    private static List<Class<?>> injectedSections(Class<?> type) {
        for (Constructor<?> creator : type.getDeclaredConstructors()) {
            if (creator.isAnnotationPresent(JsonCreator.class)) {
                List<Class<?>> sections = new ArrayList<>();
                for (Parameter parameter : creator.getParameters()) {
                    if (parameter.isAnnotationPresent(JacksonInject.class)) {
                        sections.add(parameter.getType());
                    }
                }
                return sections;
            }
        }
        return List.of();
    }

    private static Set<String> keysOf(ObjectMapper mapper, Class<?> section) {
        Set<String> keys = new TreeSet<>();
        mapper.getDeserializationConfig()
                .introspect(mapper.constructType(section))
                .findProperties()
                .forEach(property -> keys.add(property.getName()));
        return keys;
    }

    /** The mapper used for configuration: strict about unknown keys, lenient about nothing else. */
    public static ObjectMapper mapper() {
        SimpleModule durations = new SimpleModule("tsflow-durations");
        durations.addDeserializer(Duration.class, new DurationDeserializer());
        durations.addDeserializer(Instant.class, new InstantDeserializer());
        return new ObjectMapper(new YAMLFactory())
                .registerModule(durations)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
    }

    /**
     * The full dotted key of the failing value, for example {@code cassandra.replication.factor}.
     */
    static String keyPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "(top level)" : path.toString();
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message =
                cause instanceof JsonMappingException mapping
                        ? mapping.getOriginalMessage()
                        : cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message.split("\n")[0];
    }

    private static final class DurationDeserializer
            extends com.fasterxml.jackson.databind.JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(
                com.fasterxml.jackson.core.JsonParser parser,
                com.fasterxml.jackson.databind.DeserializationContext context)
                throws IOException {
            return DurationParser.parse(parser.getValueAsString());
        }
    }

    private static final class InstantDeserializer
            extends com.fasterxml.jackson.databind.JsonDeserializer<Instant> {
        @Override
        public Instant deserialize(
                com.fasterxml.jackson.core.JsonParser parser,
                com.fasterxml.jackson.databind.DeserializationContext context)
                throws IOException {
            String text = parser.getValueAsString();
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(
                        "not an instant: '"
                                + text
                                + "' (expected for example 2020-01-01T00:00:00Z)");
            }
        }
    }
}
