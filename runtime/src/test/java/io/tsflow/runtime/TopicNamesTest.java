package io.tsflow.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsflow.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class TopicNamesTest {

    private static JobTopics topics(String... keysAndNames) {
        return () -> TopicNames.inOrder(keysAndNames);
    }

    @Test
    void topicsKeepTheirOrderWithTheInputFirst() {
        assertThat(topics("raw", "r", "observations", "o", "deadLetter", "d").names())
                .containsExactly("r", "o", "d");
        assertThatCode(() -> topics("raw", "r", "observations", "o").validate("topics"))
                .doesNotThrowAnyException();
    }

    @Test
    void theInputIsTheFirstTopicAndTheDeadLetterTopicItsOwnKey() {
        JobTopics topics = topics("observations", "o", "aggregations", "a", "deadLetter", "d");
        assertThat(topics.input()).isEqualTo("o");
        assertThat(topics.deadLetter()).isEqualTo("d");
    }

    @Test
    void anIllegalNameIsNamedByItsKey() {
        assertThatThrownBy(() -> topics("raw", "r", "observations", "bad name").validate("topics"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("topics.observations")
                .hasMessageContaining("is not a valid Kafka topic name");
    }

    @Test
    void theTopicReadMustNotBeOneWritten() {
        assertThatThrownBy(
                        () ->
                                topics("raw", "same", "observations", "o", "deadLetter", "same")
                                        .validate("topics"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("topics.raw")
                .hasMessageContaining("must differ from the output topics");
    }
}
