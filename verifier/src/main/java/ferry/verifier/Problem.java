package ferry.verifier;

import java.util.Objects;

/**
 * One thing wrong with a bundle.
 *
 * @param code     what kind of problem (stable names, used in JSON output)
 * @param location where: {@code "bundle"}, {@code "manifest"}, {@code "manifest field entries[3].size"},
 *                 {@code "signatures"}, {@code "signature signatures/<FPR>.asc"},
 *                 {@code "volume volume-0002.tar"}, {@code "entry wsus/content/AB/....cab"},
 *                 {@code "file <bundle-relative path>"}
 * @param message  one line for the operator
 */
public record Problem(Code code, String location, String message) {
    public Problem {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(message, "message");
    }

    /** Kinds of problem. */
    public enum Code {
        /** The bundle directory does not exist or is not a directory. */
        BUNDLE_NOT_FOUND,
        /** manifest.json is missing. */
        MANIFEST_MISSING,
        /** manifest.json cannot be read, is not a regular file, or is over the size limit. */
        MANIFEST_UNREADABLE,
        /** manifest.json breaks the format; the location names the JSON field. */
        MANIFEST_INVALID,
        /** No signature file at all. */
        SIGNATURE_MISSING,
        /** A signature file is not a readable ferry signature (damaged, wrong shape, too large). */
        SIGNATURE_MALFORMED,
        /** A signature by a trusted key does not verify against the manifest, or breaks a key rule. */
        SIGNATURE_INVALID,
        /** A well-formed signature by a key that is not in the trust store. */
        SIGNATURE_UNTRUSTED,
        /** A valid signature stored under a file name that is not its signer's fingerprint. */
        SIGNATURE_NAME_MISMATCH,
        /** More signature files than the format allows; the extra ones were not checked. */
        SIGNATURE_LIMIT,
        /** Fewer distinct trusted signers with a valid signature than the trust store's threshold. */
        THRESHOLD_NOT_MET,
        /** The bundle's expiresAt is not after the verification time. */
        BUNDLE_EXPIRED,
        /** The bundle has no expiresAt, and the trust policy requires one (requireExpiry). */
        EXPIRY_REQUIRED,
        /** A file or directory in the bundle that the format does not allow (or a symbolic link). */
        UNEXPECTED_FILE,
        /** A volume listed in the manifest is absent. */
        VOLUME_MISSING,
        /** A volume asked for is not listed in the manifest. */
        VOLUME_UNKNOWN,
        /** A volume's size differs from the manifest (truncated or extended). */
        VOLUME_SIZE_MISMATCH,
        /** A volume's SHA-256 differs from the manifest. */
        VOLUME_DIGEST_MISMATCH,
        /** A volume could not be read (I/O error). */
        VOLUME_UNREADABLE,
        /** An entry's content (streamed through its segments) has the wrong SHA-256. */
        ENTRY_DIGEST_MISMATCH,
        /** An entry cannot be checked because a volume it spans is missing, truncated or unreadable. */
        ENTRY_INCOMPLETE,
        /**
         * A volume's tar member is unsafe to untar (not a regular file; an absolute name, a {@code ..} segment, a
         * backslash or NUL in its name), or is not one the manifest lists, or the volume is not a well-formed tar.
         */
        TAR_MEMBER_UNSAFE,
        /** A medium's label ({@code medium.json}) is unreadable or names another bundle than the manifest beside it. */
        MEDIUM_LABEL_INVALID,
        /**
         * The bundle carries a trust policy change ({@code trust/}) that may not be applied: malformed, not signed by the
         * threshold of currently trusted keys or of its own new keys, or skipping a version.
         */
        TRUST_CHANGE_REFUSED
    }

    /** {@code CODE location: message}, one line. */
    @Override
    public String toString() {
        return code + " " + location + ": " + message;
    }
}
