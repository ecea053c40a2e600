package io.tsflow.common.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AbbreviationTest {

    @Test
    void shortTextAndNullAreKeptAsTheyAre() {
        assertThat(Abbreviation.abbreviate("12345", 5)).isEqualTo("12345");
        assertThat(Abbreviation.abbreviate(null, 5)).isNull();
    }

    @Test
    void longTextIsCutAtTheLimitAndMarked() {
        assertThat(Abbreviation.abbreviate("123456", 5)).isEqualTo("12345...");
        assertThat(Abbreviation.abbreviate("123456", 5, "")).isEqualTo("12345");
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        String text = "abcd\uD83D\uDE00ef"; // an emoji at characters 4 and 5
        String cut = Abbreviation.abbreviate(text, 5);

        assertThat(cut).isEqualTo("abcd...");
        assertThat(Utf16.isWellFormed(cut)).isTrue();
    }
}
