package ferry.format;

import java.util.regex.Pattern;

/**
 * File names inside a bundle directory:
 * <pre>
 * bundle/manifest.json
 * bundle/signatures/&lt;FINGERPRINT&gt;.asc      (40 upper-case hex digits of the signer's primary key)
 * bundle/volumes/volume-0001.tar             (1-based, at least 4 digits)
 * bundle/recovery.par2, bundle/recovery.volNN+MM.par2   optional PAR 2.0 recovery files (not signed)
 * bundle/medium.json                         (a medium of a bundle split over media only: {@link MediumLabel})
 * bundle/trust/policy.json, trust/signatures/&lt;FINGERPRINT&gt;.asc   (optional: a signed trust policy change)
 * </pre>
 * A bundle split over media is written as {@code <out>/medium-01/}, {@code <out>/medium-02/}, ... each laid out as
 * above with a copy of the manifest and signatures and the volumes it holds.
 */
public final class BundleLayout {
    private BundleLayout() { }

    /** The manifest file, relative to the bundle directory. */
    public static final String MANIFEST = "manifest.json";
    /** The directory of detached signatures. */
    public static final String SIGNATURES_DIR = "signatures";
    /** The directory of data volumes. */
    public static final String VOLUMES_DIR = "volumes";

    /** The label file of one medium of a bundle split over media. */
    public static final String MEDIUM_LABEL = "medium.json";
    /** The directory of a trust policy change carried by the bundle (docs/security.md, "Key rotation"). */
    public static final String TRUST_DIR = "trust";
    /** The signed trust policy document inside {@link #TRUST_DIR}. */
    public static final String TRUST_POLICY = "policy.json";

    private static final Pattern MEDIUM_DIR = Pattern.compile("medium-([0-9]{2,5})");
    private static final Pattern SIGNATURE_NAME = Pattern.compile("[0-9A-F]{40}\\.asc");
    private static final String VOLUME_PREFIX = "volume-";
    private static final String VOLUME_SUFFIX = ".tar";

    /** Name of the {@code index}-th volume (1-based), e.g. {@code volume-0001.tar}. */
    public static String volumeName(int index) {
        if (index < 1 || index > Limits.MAX_VOLUMES) {
            throw new IllegalArgumentException("volume index out of range: " + index);
        }
        // String.format("volume-%04d.tar"), without the Formatter: called for every segment of a manifest
        String digits = Integer.toString(index);
        return "volume-" + "000".substring(Math.min(3, digits.length() - 1)) + digits + ".tar";
    }

    /** 1-based index of a well-formed volume name, or -1 when the name is not one. */
    public static int volumeIndex(String name) {
        // volume-NNNN.tar or volume-NNNNN.tar, checked by hand: a manifest names a volume in every segment
        int n = name.length();
        if ((n != 15 && n != 16) || !name.startsWith(VOLUME_PREFIX) || !name.endsWith(VOLUME_SUFFIX)) {
            return -1;
        }
        int index = 0;
        for (int i = VOLUME_PREFIX.length(); i < n - VOLUME_SUFFIX.length(); i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            index = index * 10 + (c - '0');
        }
        // only the canonical spelling counts, so volume-00001.tar is not a second name for volume-0001.tar
        boolean canonical = n == 15 || name.charAt(VOLUME_PREFIX.length()) != '0';
        return index >= 1 && canonical ? index : -1;
    }

    /** Base name of the PAR 2.0 recovery files ferry writes: {@code recovery.par2}, {@code recovery.vol*.par2}. */
    public static final String RECOVERY_BASE = "recovery";

    /**
     * Whether a top-level file name is a PAR 2.0 recovery file, allowed beside the manifest (section 13 of
     * docs/bundle-format.md): any {@code *.par2} name of letters, digits and {@code ._+-}, so that recovery files an
     * operator made with {@code par2 create} may travel too.
     */
    public static boolean isRecoveryFileName(String name) {
        return ferry.format.par2.RecoveryFiles.isPar2FileName(name);
    }

    /** Directory name of the {@code index}-th medium (1-based), e.g. {@code medium-01}. */
    public static String mediumDirName(int index) {
        if (index < 1 || index > Limits.MAX_VOLUMES) {
            throw new IllegalArgumentException("medium index out of range: " + index);
        }
        return String.format("medium-%02d", index);
    }

    /** 1-based index of a well-formed medium directory name, or -1. */
    public static int mediumIndex(String name) {
        var m = MEDIUM_DIR.matcher(name);
        if (!m.matches()) {
            return -1;
        }
        int index = Integer.parseInt(m.group(1));
        return index >= 1 && mediumDirName(index).equals(name) ? index : -1;
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
