package ferry.verifier;

import ferry.format.BundleReader;
import ferry.format.Manifest;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A bundle whose manifest the trust gate ({@link BundleVerifier}) has admitted: the exact manifest bytes it read
 * once, their SHA-256, the manifest parsed from those bytes, and the trusted signers whose signatures over those
 * bytes met the threshold. Nothing here is read from disk again, so what the importer uses is what was verified.
 * Volume contents are not vouched for by admission alone: {@link BundleVerifier#verifyAndCopy} checks them.
 * <p>
 * Never compared: an admission is handed from the gate to its user, not looked up or deduplicated, so the record's
 * default equality (which compares {@code manifestBytes} by array identity) is left as is; to ask whether two
 * admissions are of the same manifest, compare {@link #manifestSha256}.
 *
 * @param directory      the bundle directory
 * @param manifestBytes  the manifest exactly as read and verified (the accessor returns a copy)
 * @param manifestSha256 SHA-256 of the manifest bytes, 64 lower-case hex digits
 * @param manifest       the parsed manifest
 * @param signers        the distinct trusted signers with a valid signature, in signature-file order
 */
public record TrustedBundle(Path directory, byte[] manifestBytes, String manifestSha256, Manifest manifest,
                            List<Signer> signers) {
    public TrustedBundle {
        Objects.requireNonNull(directory, "directory");
        manifestBytes = manifestBytes.clone();
        Objects.requireNonNull(manifestSha256, "manifestSha256");
        Objects.requireNonNull(manifest, "manifest");
        signers = List.copyOf(signers);
    }

    /** A copy of the manifest bytes, as signed. */
    @Override
    public byte[] manifestBytes() {
        return manifestBytes.clone();
    }

    /** A reader over these manifest bytes (no file is read again). */
    public BundleReader reader() {
        return BundleReader.of(directory, manifestBytes, manifest);
    }

    /** The channel policy's view of this bundle. */
    public ChannelPolicy.Candidate candidate() {
        return ChannelPolicy.Candidate.of(manifest, manifestSha256);
    }
}
