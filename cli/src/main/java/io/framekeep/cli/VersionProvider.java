package io.framekeep.cli;

import picocli.CommandLine.IVersionProvider;

/** Reads the version from the JAR manifest (absent when run from classes). */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = VersionProvider.class.getPackage().getImplementationVersion();
    return new String[] {"framekeep " + (v == null ? "development build" : v)};
  }
}
