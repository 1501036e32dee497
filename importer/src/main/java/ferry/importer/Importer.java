package ferry.importer;

import ferry.format.BundleReader;
import ferry.format.Progress;
import ferry.format.trust.TrustStore;
import ferry.store.Store;
import ferry.store.StoreException;
import ferry.store.StoreLockedException;
import ferry.verifier.BundleVerifier;
import ferry.verifier.VerificationReport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Imports a bundle into the isolated side's store: verify, refuse what must not be imported, copy objects, commit
 * once.
 *
 * <p>Steps, in order:
 * <ol>
 *   <li><b>Verify</b> the whole bundle with {@link BundleVerifier} (signatures and threshold, manifest, expiry
 *       against {@code now}, layout, every volume and entry; docs/bundle-format.md section 7). Any problem:
 *       {@link BundleInvalidException} with the report; the store is not even opened. The manifest's SHA-256 is
 *       taken before and after, and its signatures re-checked on the bytes used, so a manifest swapped during
 *       verification is refused. Entry paths are checked against their source identifiers.</li>
 *   <li><b>Open the store</b>, taking its lock ({@link StoreBusyException} if another run holds it: stop
 *       {@code ferry serve} to import).</li>
 *   <li><b>Refuse early</b>, before copying anything: the same bundle again (same id and manifest) is not an
 *       error but a no-op, reported as {@link ImportResult#alreadyImported()}; another bundle with that id, a
 *       sequence number not above the channel's last (a replay), or a delta whose base this store never imported
 *       give {@link BundleRefusedException}.</li>
 *   <li><b>Copy</b> every entry into the store's objects (skipping objects already there), streaming from the
 *       volumes; {@link BundleReader#openEntry} re-checks each entry's SHA-256 and SHA-1 against the verified
 *       manifest and the store re-hashes each object, so a volume altered after verification cannot inject bytes.
 *       Update metadata is parsed from the stored object and must name the revision its path names.</li>
 *   <li><b>Commit</b> the revisions and files in one store transaction, which re-checks the channel.</li>
 * </ol>
 * A crash or error at any point before the commit leaves the catalog as it was (objects written by then are
 * unreferenced and removed after a later successful import); after it, the import is complete.
 *
 * <p>Downgrades: a revision lower than one the store already holds for the same update is recorded (a bundled
 * update may name it) but never served in place of the newer one, following the store; such revisions are
 * counted in {@link ImportResult.Outcome#olderRevisions()}. A bundle older than the channel's last is a replay and
 * is refused.
 *
 * <p>Progress: the verifier's task ({@code "verify volumes"}, volume bytes), then {@code "import <bundle id>"}
 * measured in entry bytes (copied and reused).
 */
public final class Importer {

    /** The store's catalog file: its presence means a store exists at a directory. */
    private static final String CATALOG_FILE = "catalog.mv.db";

    private Importer() {
    }

    /**
     * Imports {@code bundleDir} into the store at {@code storeDir} (created if missing), holding the store's lock
     * for the duration. After a successful commit, objects earlier failed imports left behind are deleted.
     *
     * @param trust    whom to trust (keys and threshold)
     * @param now      the instant to judge the bundle's {@code expiresAt} against
     * @param progress receives the tasks described above; may throw to abort (the store is then left as it was)
     * @return what was imported, or that the bundle was already imported
     * @throws BundleInvalidException  exit code 1
     * @throws BundleRefusedException  exit code 4
     * @throws StoreBusyException      exit code 5
     * @throws ImporterException       exit code 2 when the store cannot be opened, 10 when writing it fails
     */
    public static ImportResult importBundle(Path bundleDir, Path storeDir, TrustStore trust, Instant now,
                                            Progress progress) throws ImporterException {
        Objects.requireNonNull(storeDir, "storeDir");
        long started = System.nanoTime();
        Verified v = verify(bundleDir, trust, now, progress);
        var m = v.reader().manifest();
        if (m.baseSequence() != null && !Files.exists(storeDir.resolve(CATALOG_FILE))) {
            // Refused before the store exists, so that a wrong path or an early delta leaves no empty store behind.
            throw new BundleRefusedException(BundleRefusedException.Reason.MISSING_BASE, "missing base: bundle "
                    + m.bundleId() + " is a delta on sequence " + m.baseSequence() + " of channel " + m.channel()
                    + ", but there is no store at " + storeDir + " yet; import the full bundle first");
        }
        try (Store store = open(storeDir)) {
            return new ImportRun(v, store, progress, true).run(started);
        }
    }

    /**
     * Imports into a store this process already has open (e.g. one being served); the caller keeps it open.
     * Unreferenced objects are not collected, since another import may be writing them. Otherwise as
     * {@link #importBundle(Path, Path, TrustStore, Instant, Progress)}, without {@link StoreBusyException}.
     */
    public static ImportResult importBundle(Path bundleDir, Store store, TrustStore trust, Instant now,
                                            Progress progress) throws ImporterException {
        Objects.requireNonNull(store, "store");
        long started = System.nanoTime();
        Verified v = verify(bundleDir, trust, now, progress);
        return new ImportRun(v, store, progress, false).run(started);
    }

    /** A bundle that passed verification, with what the import needs from it. */
    record Verified(BundleReader reader, String manifestSha256, Map<String, String> signers, EntryPlan plan) {
    }

    private static Verified verify(Path bundleDir, TrustStore trust, Instant now, Progress progress)
            throws BundleInvalidException {
        Objects.requireNonNull(bundleDir, "bundleDir");
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(progress, "progress");
        String before = ManifestGuard.hashBeforeVerification(bundleDir);
        VerificationReport report = new BundleVerifier(trust).verify(bundleDir, now, progress);
        if (!report.ok()) {
            throw new BundleInvalidException(report);
        }
        BundleReader reader;
        try {
            reader = BundleReader.open(bundleDir);
        } catch (IOException e) {
            throw new BundleInvalidException("bundle " + bundleDir + ": manifest unreadable after verification: "
                    + e.getMessage(), e);
        }
        Map<String, String> signers = ManifestGuard.check(before, reader, report, trust);
        return new Verified(reader, before, signers, EntryPlan.of(reader.manifest()));
    }

    private static Store open(Path storeDir) throws ImporterException {
        try {
            return Store.open(storeDir);
        } catch (StoreLockedException e) {
            throw new StoreBusyException(e.getMessage() + "; stop `ferry serve` or the other import first", e);
        } catch (StoreException e) {
            throw new ImporterException(ImporterException.EXIT_CONFIGURATION, e.getMessage(), e);
        }
    }
}
