package io.tradestore.startup;

/** The version written into the jar's manifest by the build; "dev" when running from classes. */
public final class EngineVersion {
  private EngineVersion() { }

  public static String get() {
    String version = EngineVersion.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
