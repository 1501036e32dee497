package ferry.format;

/**
 * Upper bounds on everything ferry reads from a bundle, so hostile or damaged input cannot exhaust
 * memory or time. Values are part of format version 1 (docs/bundle-format.md, "Limits").
 */
public final class Limits {
    private Limits() { }

    /** Largest manifest.json accepted, in bytes (64 MiB). */
    public static final long MAX_MANIFEST_BYTES = 64L * 1024 * 1024;
    /** Most entries in one manifest. */
    public static final int MAX_ENTRIES = 2_000_000;
    /** Most volumes in one bundle (names volume-0001.tar to volume-99999.tar). */
    public static final int MAX_VOLUMES = 99_999;
    /** Longest entry path, in UTF-8 bytes. */
    public static final int MAX_PATH_BYTES = 1024;
    /** Longest single path component, in UTF-8 bytes. */
    public static final int MAX_PATH_COMPONENT_BYTES = 255;
    /** Most source identifiers on one entry. */
    public static final int MAX_SOURCE_IDS = 32;
    /** Longest source identifier value, in UTF-16 chars. */
    public static final int MAX_SOURCE_VALUE_CHARS = 1024;
    /** Longest short text field (producer name/version), in UTF-16 chars. */
    public static final int MAX_SHORT_TEXT_CHARS = 128;
    /** Largest canonical selection object, in bytes. */
    public static final int MAX_SELECTION_BYTES = 1024 * 1024;
    /** Deepest nesting of JSON arrays/objects anywhere in the manifest (selection included). */
    public static final int MAX_JSON_DEPTH = 32;
    /** Largest signature file, in bytes. */
    public static final long MAX_SIGNATURE_FILE_BYTES = 64 * 1024;
    /** Most signature files in one bundle. */
    public static final int MAX_SIGNATURES = 32;
    /** Largest public key file in a trust store, in bytes. */
    public static final long MAX_KEY_FILE_BYTES = 1024 * 1024;
    /** Most problems a manifest parse reports before giving up. */
    public static final int MAX_REPORTED_FIELD_ERRORS = 100;
    /**
     * Smallest volume size {@link BundleWriter} accepts, in bytes (64 KiB): room for the largest member
     * header (pax records for a 1024-byte path) plus data plus the two end-of-archive records, with margin.
     */
    public static final long MIN_VOLUME_SIZE = 64 * 1024;
}
