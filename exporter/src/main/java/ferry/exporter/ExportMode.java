package ferry.exporter;

/** What an export carries: update metadata only, or metadata plus the update files it names. */
public enum ExportMode {
    /** Metadata documents only; the isolated side's clients get files elsewhere (or not at all). */
    METADATA_ONLY("metadata"),
    /** Metadata documents and every update file they name (MS-WSUSSS 3.2.4.4). */
    METADATA_AND_FILES("metadata+files");

    private final String label;

    ExportMode(String label) {
        this.label = label;
    }

    /** The name used in the manifest's selection, the state file and the JSON summary. */
    public String label() {
        return label;
    }

    /** @throws IllegalArgumentException for anything but {@code metadata} or {@code metadata+files} */
    public static ExportMode fromLabel(String label) {
        for (ExportMode m : values()) {
            if (m.label.equals(label)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown export mode: " + label + " (use metadata or metadata+files)");
    }
}
