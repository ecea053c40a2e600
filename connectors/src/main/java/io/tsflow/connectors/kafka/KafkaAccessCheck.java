package io.tsflow.connectors.kafka;

import io.tsflow.common.config.CredentialsRefusedException;
import io.tsflow.common.config.Secret;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Logs in to Kafka once at job start and looks at the job's topics, so that wrong credentials, an
 * untrusted certificate or a missing topic stop the submission with a message that says what to
 * fix, instead of a task that fails and restarts forever. Runs where {@code main} runs (the client
 * or the JobManager).
 */
public final class KafkaAccessCheck {

    private KafkaAccessCheck() {}

    public static void verify(KafkaSettings settings, Collection<String> topics, Duration timeout) {
        verify(settings, topics, timeout, Secret::fromEnvironment);
    }

    static void verify(
            KafkaSettings settings,
            Collection<String> topics,
            Duration timeout,
            Function<String, Optional<Secret>> secrets) {
        Properties properties = KafkaClientProperties.build(settings, secrets);
        int millis = (int) timeout.toMillis();
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "tsflow-access-check");
        Set<String> wanted = new TreeSet<>(topics);
        try (ScramProviderScope scram = ScramProviderScope.open();
                Admin admin = create(properties)) {
            admin.describeTopics(wanted).allTopicNames().get(millis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw explain(settings, wanted, e.getCause(), secrets);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(
                    "Kafka at "
                            + settings.bootstrapServers()
                            + " did not answer within "
                            + timeout
                            + " (is kafka.bootstrapServers right, and does security.protocol match"
                            + " the listener?)",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking Kafka", e);
        }
    }

    private static Admin create(Properties properties) {
        try {
            return Admin.create(properties);
        } catch (KafkaException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException(
                    "cannot build a Kafka client from kafka.properties: " + cause.getMessage(), e);
        }
    }

    private static RuntimeException explain(
            KafkaSettings settings,
            Set<String> topics,
            Throwable cause,
            Function<String, Optional<Secret>> secrets) {
        String where = "Kafka at " + settings.bootstrapServers();
        if (cause instanceof SaslAuthenticationException) {
            String user =
                    secrets.apply("TSFLOW_KAFKA_USERNAME")
                            .map(name -> " user '" + name.reveal() + "'")
                            .orElse("");
            return new CredentialsRefusedException(
                    where
                            + " refused the SASL login of"
                            + (user.isEmpty() ? " this client" : user)
                            + ": "
                            + cause.getMessage()
                            + "; check TSFLOW_KAFKA_USERNAME and TSFLOW_KAFKA_PASSWORD (or"
                            + " TSFLOW_KAFKA_SASL_JAAS_CONFIG) and kafka.properties.sasl.mechanism",
                    cause);
        }
        if (cause instanceof SslAuthenticationException) {
            return new IllegalStateException(
                    "TLS handshake with "
                            + where
                            + " failed: "
                            + cause.getMessage()
                            + "; check kafka.properties.ssl.truststore.location and"
                            + " TSFLOW_KAFKA_SSL_TRUSTSTORE_PASSWORD",
                    cause);
        }
        if (cause instanceof UnknownTopicOrPartitionException) {
            return new IllegalStateException(
                    where + " lacks one of the topics " + topics + ": create them first", cause);
        }
        if (cause instanceof TopicAuthorizationException) {
            return new CredentialsRefusedException(
                    where + " does not let this user describe the topics " + topics, cause);
        }
        return new IllegalStateException(
                where + " failed the start-up check: " + cause.getMessage(), cause);
    }
}
