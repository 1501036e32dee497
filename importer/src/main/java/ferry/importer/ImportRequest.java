package ferry.importer;

import ferry.format.BundleSource;
import ferry.format.trust.TrustStore;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * One import, as {@code ferry import} asks for it.
 *
 * @param source        where the bundle's files are: one directory or several media ({@link BundleSource})
 * @param storeDir      the store (created if missing, except by a dry run)
 * @param trust         whom to trust
 * @param trustStoreDir the directory {@code trust} was loaded from: a trust policy change the bundle carries is
 *                      applied there after the import; null when the trust store is not a directory (the change is
 *                      then not applied and the result says so)
 * @param allowExpired  admit an expired bundle (the operator's {@code --allow-expired}; recorded in
 *                      {@link ImportResult#overrides()})
 * @param now           the instant to judge expiry against
 */
public record ImportRequest(BundleSource source, Path storeDir, TrustStore trust, Path trustStoreDir,
                            boolean allowExpired, Instant now) {
    public ImportRequest {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(storeDir, "storeDir");
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(now, "now");
    }
}
