package io.framekeep.server.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.framekeep.api.error.ApiException;
import io.framekeep.api.error.AwsError;
import io.framekeep.server.testing.MutableClock;
import org.junit.jupiter.api.Test;

class FragmentQuotasTest {
  private static AwsError errorOf(Runnable r) {
    try {
      r.run();
      return null;
    } catch (ApiException e) {
      return e.error();
    }
  }

  @Test
  void charge_awsMediaQuota_allowsFiveFullClipsThenThrottlesUntilRefill() {
    MutableClock clock = MutableClock.atEpochMillis(1_000_000);
    FragmentQuotas q = new FragmentQuotas(true, 10_000, 500, clock);
    for (int i = 0; i < 5; i++) {
      q.charge(1, 200, 200); // a rested stream holds two seconds: 1000 media points
    }
    assertThat(errorOf(() -> q.charge(1, 200, 200))).isEqualTo(AwsError.CLIENT_LIMIT_EXCEEDED);
    clock.advanceMillis(400); // 200 media points back
    q.charge(1, 200, 200);
  }

  @Test
  void charge_largestGetMediaForFragmentList_fitsARestedStream() {
    FragmentQuotas q = new FragmentQuotas(true, 10_000, 500, MutableClock.atEpochMillis(1_000_000));
    q.charge(1, 0, 1000);
  }

  @Test
  void charge_refused_takesNothingFromEitherBucket() {
    MutableClock clock = MutableClock.atEpochMillis(1_000_000);
    FragmentQuotas q = new FragmentQuotas(true, 1000, 10, clock);
    assertThatThrownBy(() -> q.charge(1, 1900, 21)).isInstanceOf(ApiException.class);
    q.charge(1, 2000, 20); // both buckets still full
  }

  @Test
  void charge_otherStream_hasItsOwnBuckets() {
    FragmentQuotas q = new FragmentQuotas(true, 10_000, 500, MutableClock.atEpochMillis(1_000_000));
    q.charge(1, 0, 1000);
    q.charge(2, 0, 1000);
    assertThat(errorOf(() -> q.charge(1, 0, 1))).isEqualTo(AwsError.CLIENT_LIMIT_EXCEEDED);
  }

  @Test
  void charge_disabled_neverThrottles() {
    FragmentQuotas q = FragmentQuotas.unlimited(MutableClock.atEpochMillis(1_000_000));
    for (int i = 0; i < 100; i++) {
      q.charge(1, 10_000, 10_000);
    }
  }

  @Test
  void charge_metadataQuota_listFragmentsOfMaxResults1000TenTimesPerSecond() {
    MutableClock clock = MutableClock.atEpochMillis(1_000_000);
    FragmentQuotas q = new FragmentQuotas(true, 10_000, 500, clock);
    for (int i = 0; i < 20; i++) {
      q.charge(7, 1000, 0);
    }
    assertThat(errorOf(() -> q.charge(7, 1000, 0))).isEqualTo(AwsError.CLIENT_LIMIT_EXCEEDED);
  }
}
