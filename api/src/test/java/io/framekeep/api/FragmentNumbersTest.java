package io.framekeep.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.api.model.Validation;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FragmentNumbersTest {

    @ParameterizedTest
    @ValueSource(longs = {0L, 1L, 9L, 10L, 1_000_000L, Long.MAX_VALUE})
    void format_thenParse_roundTrips(long sequence) {
        String number = FragmentNumbers.format(sequence);

        assertThat(number).hasSize(47).startsWith("91");
        assertThat(Validation.FRAGMENT_NUMBER.matcher(number).matches()).isTrue();
        assertThat(FragmentNumbers.parse(number)).isEqualTo(OptionalLong.of(sequence));
    }

    @Test
    void format_one_isPrefixedAndZeroPadded() {
        assertThat(FragmentNumbers.format(1)).isEqualTo("91000000000000000000000000000000000000000000001");
    }

    @Test
    void format_randomSequences_lexicographicNumericAndSequenceOrdersAgree() {
        Random random = new Random(42);
        List<Long> sequences = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            sequences.add(random.nextLong() & Long.MAX_VALUE >>> random.nextInt(63));
        }
        List<String> numbers = sequences.stream().map(FragmentNumbers::format).toList();

        List<String> byText = numbers.stream().sorted().toList();
        List<String> byNumber = numbers.stream().sorted(Comparator.comparing(BigInteger::new)).toList();
        List<String> bySequence = sequences.stream().sorted().map(FragmentNumbers::format).toList();

        assertThat(byText).isEqualTo(byNumber).isEqualTo(bySequence);
    }

    @Test
    void format_negative_throwsIllegalArgument() {
        assertThatThrownBy(() -> FragmentNumbers.format(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "1",
        "91343852333181432392682062607743920146159169392",
        "9100000000000000000000000000000000000000000001",
        "910000000000000000000000000000000000000000000001",
        "9100000000000000000000000000000000000000000000a",
        "91999999999999999999999999999999999999999999999",
        "+1000000000000000000000000000000000000000000001",
        "91-00000000000000000000000000000000000000000001",
    })
    void parse_numberNotIssuedHere_isEmpty(String number) {
        assertThat(FragmentNumbers.parse(number)).isEmpty();
    }

    @Test
    void parse_null_isEmpty() {
        assertThat(FragmentNumbers.parse(null)).isEmpty();
    }
}
