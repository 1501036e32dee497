package ferry.cli;

import picocli.CommandLine;

/** Reports the version written into the jar's manifest at build time. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[]{"ferry " + version(), "Java " + System.getProperty("java.version")};
    }

    /** The producer version recorded in bundles: the jar's Implementation-Version, or "dev" in a source tree. */
    public static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }
}
