package io.framekeep.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The direct reading of X-Amz-Date agrees with the formatter it stands in for. */
class SigV4AmzDateTest {
  private static final DateTimeFormatter FORMATTER =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private static Instant viaFormatter(String text) {
    return LocalDateTime.parse(text, FORMATTER).toInstant(ZoneOffset.UTC);
  }

  @Test
  void parseAmzDate_randomValidDates_matchTheFormatter() {
    Random random = new Random(20261204L);
    for (int i = 0; i < 20_000; i++) {
      Instant t = Instant.ofEpochSecond(random.nextLong(0, 7_258_118_400L));
      String text = FORMATTER.format(t);
      assertThat(SigV4Verifier.parseAmzDate(text)).as(text).isEqualTo(viaFormatter(text)).isEqualTo(t);
    }
  }

  @Test
  void parseAmzDate_monthEndsAndLeapDays_matchTheFormatter() {
    for (String text : new String[] {"20240229T235959Z", "20230131T000000Z", "20261231T235959Z",
        "20260228T120000Z", "20260429T010203Z", "00010101T000000Z"}) {
      assertThat(SigV4Verifier.parseAmzDate(text)).as(text).isEqualTo(viaFormatter(text));
    }
  }

  @Test
  void parseAmzDate_malformedOrEdgeCases_judgedAsByTheFormatter() {
    for (String text : new String[] {"20261304T000000Z", "20261200T000000Z", "20261204T240000Z",
        "20261204T240001Z", "20261204T236000Z", "20261204T235960Z", "20260230T000000Z", "20260231T120000Z",
        "2026-12-04T00:00:00Z", "20261204T000000", "20261204 000000Z", "2026120AT000000Z", "",
        "20261204T000000Z0", "+2026120T000000Z", "-0001120T000000Z"}) {
      Object expected;
      try {
        expected = viaFormatter(text);
      } catch (DateTimeException e) {
        expected = DateTimeException.class;
      }
      if (expected == DateTimeException.class) {
        assertThatThrownBy(() -> SigV4Verifier.parseAmzDate(text)).as(text).isInstanceOf(DateTimeException.class);
      } else {
        assertThat(SigV4Verifier.parseAmzDate(text)).as(text).isEqualTo(expected);
      }
    }
  }
}
