package ferry.importer;

import ferry.format.BundleSource;
import ferry.format.Progress;
import ferry.format.trust.TrustChange;
import ferry.format.trust.TrustStoreException;
import ferry.format.trust.TrustStore;
import ferry.store.SourceCatalog;
import ferry.store.Store;
import ferry.store.StoreException;
import ferry.store.StoreLockedException;
import ferry.verifier.BundleVerifier;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Imports a bundle into the isolated side's store through the trust gate ({@link BundleVerifier}): admit, refuse what
 * may not land, copy while verifying, commit once.
 *
 * <p>Steps, in order:
 * <ol>
 *   <li><b>Admit</b>: the gate reads the manifest once, checks its signatures against the trust store's threshold
 *       before parsing it, then the trust policy, expiry, layout and every volume's size. Any problem:
 *       {@link BundleInvalidException} with the report; the store is not even opened. Entry paths are checked against
 *       their source identifiers.</li>
 *   <li><b>Open the store</b> as its one writer ({@link Store#openForImport}: {@link StoreBusyException} if another
 *       import or a check holds it); {@code ferry serve} may be serving it meanwhile, and sees the import from its
 *       commit on.</li>
 *   <li><b>Refuse early</b> through the gate's {@link ferry.verifier.ChannelPolicy}: the same bundle again is a
 *       no-op ({@link ImportResult#alreadyImported()}); a replay, a missing base, a reused id, a sequence jump beyond
 *       the policy or a mismatched channel reset give {@link BundleRefusedException}.</li>
 *   <li><b>Pre-flight</b>: the bytes of objects the store lacks against the space usable on its file system
 *       ({@link NoSpaceException}).</li>
 *   <li><b>Copy while verifying</b>: the gate reads each volume once and hashes the volume and its entries while the
 *       same bytes go into the store ({@link BundleVerifier#verifyAndCopy}); objects the store holds already are
 *       only checked. A volume changed after admission cannot get in: what is copied is what was hashed.</li>
 *   <li><b>Commit</b> the source type's rows ({@link ferry.store.SourceImport}: for WSUS the update revisions and
 *       files) in one store transaction, which asks the channel policy again under the store's lock.</li>
 * </ol>
 * Any failure before the commit leaves the catalog as it was and gives back the objects this import added.
 *
 * <p>Downgrades: a revision lower than one the store already holds for the same update is recorded (a bundled
 * update may name it) but never served in place of the newer one; such revisions are counted in
 * the outcome's notes and details. A bundle older than the channel's last is a replay and is refused.
 *
 * <p>Progress: one task, {@code "verify and copy volumes"}, measured in volume bytes.
 */
public final class Importer {

    /** The store's catalog file: its presence means a store exists at a directory. */
    private static final String CATALOG_FILE = "catalog.mv.db";

    private Importer() {
    }

    /**
     * Imports {@code bundleDir} into the store at {@code storeDir} (created if missing), holding the store's writer
     * lock for the duration; a process serving the store keeps serving it.
     *
     * @param trust    whom to trust (keys, threshold, policy)
     * @param now      the instant to judge the bundle's {@code expiresAt} against
     * @param progress receives the task described above; may throw to abort (the store is then left as it was)
     * @return what was imported, or that the bundle was already imported
     * @throws BundleInvalidException  the bundle is not trustworthy or not usable
     * @throws BundleRefusedException  a trusted bundle that may not land in its channel's history
     * @throws StoreBusyException      another import, or a check, holds the store; or the process serving the store
     *                                 stopped in the middle of the commit (run the import again)
     * @throws StoreUnusableException  the store cannot be opened as it is
     * @throws NoSpaceException        not enough disk space
     * @throws ImportFailedException   writing the store failed
     */
    public static ImportResult importBundle(Path bundleDir, Path storeDir, TrustStore trust, Instant now,
                                            Progress progress) throws ImporterException {
        return importBundle(new ImportRequest(BundleSource.of(bundleDir), storeDir, trust, null, false, now), progress);
    }

    /**
     * Imports as {@link #importBundle(Path, Path, TrustStore, Instant, Progress)} a bundle that may be spread over
     * several directories (media, read in place), admitting an expired bundle when the request allows it, and then
     * applies a trust policy change the bundle carries and the gate accepted to {@code request.trustStoreDir()}
     * (atomically: {@link TrustStore#apply}). The change is applied also when the bundle was imported before, so an
     * import interrupted between the commit and the change finishes it when run again.
     *
     * @throws VolumesMissingException some volumes are in none of the directories: names the media to insert
     * @throws ImportFailedException   also when the bundle was imported but the trust policy change could not be
     *                                 written (running the import again applies it)
     * @throws BundleInvalidException  as above, also for a trust policy change the gate refuses
     */
    public static ImportResult importBundle(ImportRequest request, Progress progress) throws ImporterException {
        Path storeDir = request.storeDir();
        long started = System.nanoTime();
        BundleVerifier gate = new BundleVerifier(request.trust());
        if (request.allowExpired()) {
            gate = gate.allowingExpired();
        }
        ImportRun.Admitted a = ImportRun.admit(gate, request.source(), request.now(), SourceTypes.ALL);
        var m = a.admission().bundle().manifest();
        if (m.baseSequence() != null && !Files.exists(storeDir.resolve(CATALOG_FILE))) {
            // Refused before the store exists, so that a wrong path or an early delta leaves no empty store behind.
            throw new BundleRefusedException(ferry.verifier.ChannelPolicy.Verdict.MISSING_BASE, "missing base: bundle "
                    + m.bundleId() + " is a delta on sequence " + m.baseSequence() + " of channel " + m.channel()
                    + ", but there is no store at " + storeDir + " yet; import the full bundle first");
        }
        ImportResult result;
        try (Store store = open(storeDir)) {
            result = new ImportRun(gate, a, store, request.now(), progress).run(started);
        }
        return result.with(a.admission().overrides(), applyTrustChange(a.admission(), request, progress));
    }

    /**
     * What {@link #importBundle(ImportRequest, Progress)} would change, without changing anything: the bundle goes
     * through the gate's admission (signatures, manifest, policy, expiry, layout, volume sizes; volume contents are
     * not read), then the channel rule and the store's catalog and objects are asked what is new. A store that does
     * not exist is not created; an existing one is opened for reading only, as {@code ferry serve} opens it.
     *
     * @throws BundleInvalidException  the bundle would not be admitted
     * @throws VolumesMissingException volumes are on none of the directories
     * @throws StoreUnusableException  the store cannot be read
     * @throws StoreBusyException      the store is locked
     */
    public static DryRun dryRun(ImportRequest request) throws ImporterException {
        BundleVerifier gate = new BundleVerifier(request.trust());
        if (request.allowExpired()) {
            gate = gate.allowingExpired();
        }
        ImportRun.Admitted a = ImportRun.admit(gate, request.source(), request.now(), SourceTypes.ALL);
        var m = a.admission().bundle().manifest();
        if (!Files.exists(request.storeDir().resolve(CATALOG_FILE))) {
            var d = gate.channelPolicy().decide(a.admission().bundle().candidate(), java.util.Optional.empty(),
                    java.util.Optional.empty());
            return DryRunPlan.of(m, d, null, sha -> false, a.admission().overrides());
        }
        // Opening the store itself would let H2 rewrite (compact) its catalog file on close: the dry run reads a copy
        // of the catalog instead, and asks the store's own objects directory which objects exist.
        Path copy = null;
        try {
            copy = Files.createTempDirectory("ferry-dry-run-");
            for (String f : List.of(CATALOG_FILE, "store.id")) {
                if (Files.exists(request.storeDir().resolve(f))) {
                    Files.copy(request.storeDir().resolve(f), copy.resolve(f));
                }
            }
            try (Store store = Store.openForServing(copy, catalogs())) {
                String id = m.bundleId().toString();
                java.util.Optional<ferry.verifier.ChannelPolicy.Prior> prior = store.bundles().stream()
                        .filter(b -> b.bundleId().equals(id)).findFirst()
                        .map(b -> new ferry.verifier.ChannelPolicy.Prior(b.channel(), b.sequenceNumber(),
                                b.manifestSha256()));
                var d = gate.channelPolicy().decide(a.admission().bundle().candidate(), store.channel(m.channel())
                        .map(c -> new ferry.verifier.ChannelPolicy.Position(c.lastSequence(), c.lastBundleId())), prior);
                Path copyDir = store.directory();
                java.util.function.Predicate<String> held = sha -> Files.exists(request.storeDir()
                        .resolve(copyDir.relativize(store.objectPath(sha)).toString()));
                return DryRunPlan.of(m, d, store, held, a.admission().overrides());
            }
        } catch (StoreLockedException e) {
            throw new StoreBusyException(e.getMessage(), e);
        } catch (StoreException e) {
            throw new StoreUnusableException(e.getMessage(), e);
        } catch (java.io.IOException e) {
            throw new ImportFailedException("dry run: cannot copy the catalog of " + request.storeDir() + ": "
                    + e.getMessage(), e);
        } finally {
            deleteQuietly(copy);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            List<Path> all = new java.util.ArrayList<>(walk.toList());
            java.util.Collections.reverse(all);
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (java.io.IOException ignored) {
            // a temporary copy of a catalog; the system's temporary directory cleaning removes it
        }
    }

    /** Applies an accepted trust policy change once its bundle is in the store; returns the new version or null. */
    private static Long applyTrustChange(BundleVerifier.Admission a, ImportRequest request, Progress progress)
            throws ImportFailedException {
        TrustChange change = a.trustChange();
        if (change == null) {
            return null;
        }
        if (request.trustStoreDir() == null) {
            progress.info("the bundle carries trust policy version " + change.version() + ", not applied: the trust"
                    + " store was not read from a directory");
            return null;
        }
        try {
            TrustStore.apply(request.trustStoreDir(), change);
        } catch (TrustStoreException e) {
            throw new ImportFailedException("bundle " + a.bundle().manifest().bundleId() + " was imported, but its trust"
                    + " policy change (version " + change.version() + ") could not be applied: " + e.getMessage()
                    + "; run the import again to apply it", e);
        }
        progress.info("trust store " + request.trustStoreDir() + " now at policy version " + change.version() + ": "
                + change.keys().size() + " key(s), threshold " + change.policy().threshold());
        return change.version();
    }

    /**
     * Imports into a store this process already has open (e.g. one being served); the caller keeps it open.
     * Otherwise as {@link #importBundle(Path, Path, TrustStore, Instant, Progress)}, without
     * {@link StoreBusyException} and {@link StoreUnusableException}.
     */
    public static ImportResult importBundle(Path bundleDir, Store store, TrustStore trust, Instant now,
                                            Progress progress) throws ImporterException {
        Objects.requireNonNull(store, "store");
        long started = System.nanoTime();
        BundleVerifier gate = new BundleVerifier(trust);
        ImportRun.Admitted a = ImportRun.admit(gate, bundleDir, now, SourceTypes.ALL);
        return new ImportRun(gate, a, store, now, progress).run(started);
    }

    /** The catalog tables of every source type this importer knows: open a store for {@link #importBundle} with them. */
    public static List<SourceCatalog> catalogs() {
        return SourceTypes.catalogs(SourceTypes.ALL);
    }

    private static Store open(Path storeDir) throws ImporterException {
        try {
            return Store.openForImport(storeDir, catalogs());
        } catch (StoreLockedException e) {
            throw new StoreBusyException(e.getMessage() + "; one import (or check) at a time: wait for the other to"
                    + " finish", e);
        } catch (StoreException e) {
            throw new StoreUnusableException(e.getMessage(), e);
        }
    }
}
