package io.framekeep.bench;

import java.util.Locale;

/**
 * What object-store traffic costs at AWS S3 Standard list prices, US East (N. Virginia): PUT/COPY/POST/LIST
 * $0.005 per 1,000 requests, GET $0.0004 per 1,000, storage $0.023 per GB-month for the first 50 TB (checked
 * on 2026-12-05; BENCHMARKS.md says against what). Data transfer within a region is free and not counted; a
 * node outside AWS would also pay egress for GETs.
 */
final class CostLine {
  static final double PUT_USD_PER_1000 = 0.005;
  static final double GET_USD_PER_1000 = 0.0004;
  static final double STORAGE_USD_PER_GB_MONTH = 0.023;
  static final String PRICES = "S3 Standard us-east-1 list prices: PUT $0.005/1000, GET $0.0004/1000,"
      + " storage $0.023/GB-month";

  private CostLine() {}

  /** One line: requests and bytes per stream-hour of media, and their price. */
  static String perStreamHour(double putsPerStreamHour, double getsPerStreamHour, double bytesPerStreamHour) {
    double gb = bytesPerStreamHour / 1e9;
    return String.format(Locale.ROOT, "cost per stream-hour: %.0f PUT ($%.5f), %.0f GET ($%.6f), %.3f GB stored"
        + " ($%.4f per month kept); %s", putsPerStreamHour, putsPerStreamHour * PUT_USD_PER_1000 / 1000,
        getsPerStreamHour, getsPerStreamHour * GET_USD_PER_1000 / 1000, gb, gb * STORAGE_USD_PER_GB_MONTH, PRICES);
  }
}
