package io.framekeep.bench;

import java.util.Arrays;
import java.util.Locale;

/** Order statistics of measured samples. */
final class Stats {
  private Stats() {}

  static double median(double[] samples) {
    return percentile(samples, 50);
  }

  /** Nearest-rank percentile. */
  static double percentile(double[] samples, double p) {
    double[] s = samples.clone();
    Arrays.sort(s);
    int rank = (int) Math.ceil(p / 100.0 * s.length);
    return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
