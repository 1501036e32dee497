package ferry.format;

import java.util.regex.Pattern;

/**
 * File names inside a bundle directory:
 * <pre>
 * bundle/manifest.json
 * bundle/signatures/&lt;FINGERPRINT&gt;.asc      (40 upper-case hex digits of the signer's primary key)
 * bundle/volumes/volume-0001.tar             (1-based, at least 4 digits)
 * bundle/recovery.par2, bundle/recovery.volNN+MM.par2   optional PAR 2.0 recovery files (not signed)
 * </pre>
 */
public final class BundleLayout {
    private BundleLayout() { }

    /** The manifest file, relative to the bundle directory. */
    public static final String MANIFEST = "manifest.json";
    /** The directory of detached signatures. */
    public static final String SIGNATURES_DIR = "signatures";
    /** The directory of data volumes. */
    public static final String VOLUMES_DIR = "volumes";

    private static final Pattern SIGNATURE_NAME = Pattern.compile("[0-9A-F]{40}\\.asc");
    private static final Pattern VOLUME_NAME = Pattern.compile("volume-([0-9]{4,5})\\.tar");

    /** Name of the {@code index}-th volume (1-based), e.g. {@code volume-0001.tar}. */
    public static String volumeName(int index) {
        if (index < 1 || index > Limits.MAX_VOLUMES) {
            throw new IllegalArgumentException("volume index out of range: " + index);
        }
        return String.format("volume-%04d.tar", index);
    }

    /** 1-based index of a well-formed volume name, or -1 when the name is not one. */
    public static int volumeIndex(String name) {
        var m = VOLUME_NAME.matcher(name);
        if (!m.matches()) {
            return -1;
        }
        int index = Integer.parseInt(m.group(1));
        // only the canonical spelling counts, so volume-00001.tar is not a second name for volume-0001.tar
        return index >= 1 && volumeName(index).equals(name) ? index : -1;
    }

    /** Base name of the PAR 2.0 recovery files ferry writes: {@code recovery.par2}, {@code recovery.vol*.par2}. */
    public static final String RECOVERY_BASE = "recovery";

    /**
     * Whether a top-level file name is a PAR 2.0 recovery file, allowed beside the manifest (section 11 of
     * docs/bundle-format.md): any {@code *.par2} name of letters, digits and {@code ._+-}, so that recovery files an
     * operator made with {@code par2 create} may travel too.
     */
    public static boolean isRecoveryFileName(String name) {
        return ferry.format.par2.RecoveryFiles.isPar2FileName(name);
    }

    /** Signature file name for a signer, e.g. {@code 0123...CDEF.asc}. */
    public static String signatureFileName(String fingerprint) {
        return fingerprint + ".asc";
    }

    /** Whether {@code name} has the shape of a signature file name. */
    public static boolean isSignatureFileName(String name) {
        return SIGNATURE_NAME.matcher(name).matches();
    }
}
