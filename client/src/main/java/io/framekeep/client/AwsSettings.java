package io.framekeep.client;

import java.util.Optional;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileFileSystemSetting;

/**
 * Reads the region the way the AWS CLI and SDKs do, without the EC2 metadata lookup (which
 * stalls for seconds off EC2): system property {@code aws.region}, environment {@code AWS_REGION},
 * then {@code AWS_DEFAULT_REGION} (the AWS CLI's name, which {@code framekeep serve} prints), then
 * the {@code region} of the profile in {@code ~/.aws/config}. Stateless.
 */
public final class AwsSettings {
  private AwsSettings() {}

  /**
   * @param profile the profile name, or null for {@code AWS_PROFILE} / "default"
   * @return the configured region, or empty when none is set anywhere
   */
  public static Optional<String> region(String profile) {
    String fromProperty = System.getProperty("aws.region");
    if (notBlank(fromProperty)) {
      return Optional.of(fromProperty.trim());
    }
    for (String env : new String[] {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
      String v = System.getenv(env);
      if (notBlank(v)) {
        return Optional.of(v.trim());
      }
    }
    try {
      return ProfileFile.defaultProfileFile()
          .profile(profileName(profile))
          .flatMap(p -> p.property("region"))
          .filter(AwsSettings::notBlank);
    } catch (RuntimeException unreadable) {
      return Optional.empty();
    }
  }

  /** The profile to use: the given one, else {@code AWS_PROFILE}, else "default". */
  public static String profileName(String profile) {
    if (notBlank(profile)) {
      return profile;
    }
    return ProfileFileSystemSetting.AWS_PROFILE.getStringValue().orElse("default");
  }

  private static boolean notBlank(String s) {
    return s != null && !s.isBlank();
  }
}
