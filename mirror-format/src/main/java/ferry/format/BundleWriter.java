package ferry.format;

import ferry.format.pgp.DetachedSignatures;
import ferry.format.pgp.SigningKey;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Writes a bundle: entries streamed into tar volumes, then the manifest and its signatures.
 *
 * <p>Everything goes to a staging directory next to the target, {@code .<name>.ferry-staging-<token>}
 * ({@link #stagingDir}), that {@link #finish} renames to the target in one step, so a bundle directory either
 * is complete or does not exist. {@link #close()} without a successful {@code finish} deletes the staging
 * directory. A process killed while writing cannot do that: a caller that records the target and the token
 * before {@link #create} (the exporter does, in its state directory) removes the leftover on its next run with
 * {@link #discardStaging}, which deletes nothing that is not named like a staging directory. Memory
 * use does not depend on entry sizes: data is copied through a fixed buffer and digested on the way.
 * Not thread-safe.
 *
 * <pre>{@code
 * try (BundleWriter w = BundleWriter.create(dir, 4_700_000_000L)) {
 *     w.add("wsus/metadata/<id>/1.xml", "application/xml", source, in, size);
 *     Manifest m = w.finish(header, List.of(signingKey));
 * }
 * }</pre>
 */
public final class BundleWriter implements Closeable {
    /** What every staging directory's name holds between the bundle's name and the token. */
    public static final String STAGING_INFIX = ".ferry-staging-";
    private static final Pattern TOKEN = Pattern.compile("[0-9A-Za-z-]{1,64}");
    private static final Pattern STAGING_NAME = Pattern.compile("\\..+" + Pattern.quote(STAGING_INFIX) + TOKEN.pattern());

    /**
     * Told each durable step of the writing, in order: {@code entry} (after each {@link #add}), {@code volumes}
     * (last volume closed), {@code manifest} (manifest written and synced), {@code signature} (one per signer),
     * {@code rename} (just before the staging directory becomes the bundle) and {@code placed} (just after).
     * Lets a caller journal its own state around the rename or, in tests, stop the process at a chosen step.
     */
    @FunctionalInterface
    public interface StepListener {
        /** Does nothing. */
        StepListener NONE = step -> { };

        void reached(String step);
    }

    private final Path target;
    private final Path staging;
    private final VolumeWriter volumes;
    private final List<Entry> entries = new ArrayList<>();
    private final Set<String> paths = new HashSet<>();
    private final Set<String> dirs = new HashSet<>();
    private final StepListener steps;
    private long mediaSize;
    private int mediaRecoveryPercent;
    private ferry.format.trust.SignedTrustChange trustChange;
    private boolean finished;
    private boolean broken;
    private boolean closed;

    private BundleWriter(Path target, Path staging, long volumeSize, Progress progress, StepListener steps) {
        this.target = target;
        this.staging = staging;
        this.steps = steps;
        this.volumes = new VolumeWriter(staging.resolve(BundleLayout.VOLUMES_DIR), volumeSize,
                Instant.now().truncatedTo(ChronoUnit.SECONDS), progress);
    }

    /** Same as {@link #create(Path, long, Progress)} with {@link Progress#NONE}. */
    public static BundleWriter create(Path bundleDir, long volumeSize) throws IOException {
        return create(bundleDir, volumeSize, Progress.NONE);
    }

    /**
     * Starts a bundle that {@link #finish} will place at {@code bundleDir}.
     *
     * @param bundleDir  must not exist yet; its parent is created if missing
     * @param volumeSize largest volume file in bytes (the whole tar file), at least
     *                   {@link Limits#MIN_VOLUME_SIZE}; e.g. 4_700_000_000 for a DVD
     * @param progress   receives {@code advance(bytes)} for entry bytes copied; the caller brackets the
     *                   export with {@code begin}/{@code end}
     * @throws IllegalArgumentException if volumeSize is below the minimum
     * @throws FileAlreadyExistsException if bundleDir exists
     */
    public static BundleWriter create(Path bundleDir, long volumeSize, Progress progress) throws IOException {
        byte[] rnd = new byte[6];
        new java.security.SecureRandom().nextBytes(rnd);
        return create(bundleDir, volumeSize, progress, HexFormat.of().formatHex(rnd), StepListener.NONE);
    }

    /**
     * As {@link #create(Path, long, Progress)}, staging in {@link #stagingDir stagingDir(bundleDir, token)}.
     *
     * @param stagingToken 1-64 of {@code [0-9A-Za-z-]}, e.g. the bundle id; unique among writers for the same
     *                     target (a staging directory that exists already is an error, never reused)
     * @param steps        told each durable step ({@link StepListener}); {@link StepListener#NONE} for none
     * @throws IllegalArgumentException if volumeSize is below the minimum or the token is malformed
     * @throws FileAlreadyExistsException if bundleDir or the staging directory exists
     */
    public static BundleWriter create(Path bundleDir, long volumeSize, Progress progress, String stagingToken,
                                      StepListener steps) throws IOException {
        Objects.requireNonNull(steps, "steps");
        Path staging = stagingDir(bundleDir, stagingToken);
        if (volumeSize < Limits.MIN_VOLUME_SIZE) {
            throw new IllegalArgumentException("volume size " + volumeSize + " is below the minimum of "
                    + Limits.MIN_VOLUME_SIZE + " bytes");
        }
        Objects.requireNonNull(progress, "progress");
        Path target = bundleDir.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "bundle directory already exists");
        }
        Files.createDirectories(target.getParent());
        Files.createDirectory(staging);
        try {
            Files.createDirectory(staging.resolve(BundleLayout.VOLUMES_DIR));
            Files.createDirectory(staging.resolve(BundleLayout.SIGNATURES_DIR));
        } catch (IOException e) {
            deleteTree(staging);
            throw e;
        }
        return new BundleWriter(target, staging, volumeSize, progress, steps);
    }

    /**
     * Where a writer for {@code bundleDir} with this token stages: {@code <parent>/.<name>.ferry-staging-<token>}
     * (absolute, normalized).
     *
     * @throws IllegalArgumentException if the token is not 1-64 of {@code [0-9A-Za-z-]} or bundleDir has no name
     */
    public static Path stagingDir(Path bundleDir, String token) {
        if (token == null || !TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("bad staging token: " + token);
        }
        Path target = bundleDir.toAbsolutePath().normalize();
        if (target.getFileName() == null || target.getParent() == null) {
            throw new IllegalArgumentException("bundle directory has no name: " + bundleDir);
        }
        return target.getParent().resolve("." + target.getFileName() + STAGING_INFIX + token);
    }

    /** True when {@code name} is shaped like a staging directory's name ({@link #stagingDir}). */
    public static boolean isStagingName(String name) {
        return STAGING_NAME.matcher(name).matches();
    }

    /**
     * Deletes a staging directory a killed writer left behind, with everything in it (symbolic links inside are
     * removed, never followed).
     *
     * @param stagingDir a path named like {@link #stagingDir}; the caller must know no writer is using it
     * @return true if it existed and was deleted, false if it did not exist
     * @throws IOException if the path is not named like a staging directory or is not a directory (it is then
     *         left alone), or on I/O failure
     */
    public static boolean discardStaging(Path stagingDir) throws IOException {
        Path dir = stagingDir.toAbsolutePath().normalize();
        if (dir.getFileName() == null || !isStagingName(dir.getFileName().toString())) {
            throw new IOException(dir + " is not named like a bundle staging directory; left alone");
        }
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " is not a directory; left alone");
        }
        deleteTree(dir);
        return true;
    }

    /** This writer's staging directory (absolute). */
    public Path stagingDir() {
        return staging;
    }

    /**
     * Streams one entry into the volumes, splitting it across volumes when it does not fit.
     *
     * @param path      entry path (see {@link EntryPaths}); unique in the bundle, and neither a directory of
     *                  an earlier entry nor below one
     * @param mediaType lower-case {@code type/subtype}
     * @param source    source identifiers (keys {@link FieldRules#SOURCE_KEY}, values without control chars)
     * @param data      exactly {@code size} bytes; read to the end, not closed
     * @param size      byte count, &ge; 0
     * @return the entry as it will appear in the manifest (digests computed while copying)
     * @throws IllegalArgumentException for a bad path, media type or source identifier, or a path clash
     * @throws IOException if {@code data} is shorter or longer than {@code size}, or on I/O failure; the
     *         writer is then unusable and {@link #close()} discards everything
     */
    public Entry add(String path, String mediaType, Map<String, String> source, InputStream data, long size)
            throws IOException {
        requireOpen();
        EntryPaths.require(path);
        if (size < 0) {
            throw new IllegalArgumentException("size must be >= 0: " + size);
        }
        if (mediaType == null || !FieldRules.MEDIA_TYPE.matcher(mediaType).matches()) {
            throw new IllegalArgumentException("bad media type: " + mediaType);
        }
        // validates keys/values the same way the manifest will, before any byte is written
        new Entry(path, 0, "0".repeat(64), "0".repeat(40), mediaType, List.of(), new TreeMap<>(source));
        if (paths.contains(path) || dirs.contains(path)) {
            throw new IllegalArgumentException("entry path already used: " + path);
        }
        for (int k = path.indexOf('/'); k > 0; k = path.indexOf('/', k + 1)) {
            if (paths.contains(path.substring(0, k))) {
                throw new IllegalArgumentException("entry path " + path + " is below entry " + path.substring(0, k));
            }
        }
        if (entries.size() >= Limits.MAX_ENTRIES) {
            throw new IllegalStateException("a bundle holds at most " + Limits.MAX_ENTRIES + " entries");
        }
        MessageDigest sha256 = Digests.sha256();
        MessageDigest sha1 = Digests.sha1();
        List<Segment> segments;
        broken = true; // until the copy completes
        segments = volumes.write(path, data, size, sha256, sha1);
        broken = false;
        Entry e = new Entry(path, size, Hex.lower(sha256.digest()), Hex.lower(sha1.digest()), mediaType, segments, source);
        entries.add(e);
        paths.add(path);
        for (int k = path.indexOf('/'); k > 0; k = path.indexOf('/', k + 1)) {
            dirs.add(path.substring(0, k));
        }
        steps.reached("entry");
        return e;
    }

    /**
     * Completes the bundle: closes the last volume, writes {@code manifest.json} and one
     * {@code signatures/<FINGERPRINT>.asc} per signer, syncs, and renames the staging directory to the
     * target.
     *
     * @param signers at least one, distinct primary fingerprints
     * @return the manifest written
     * @throws IllegalArgumentException if signers is empty or repeats a key
     * @throws IOException on I/O failure, if the target appeared meanwhile, or if the manifest would exceed
     *         {@link Limits#MAX_MANIFEST_BYTES}; the writer is then unusable
     */
    public Manifest finish(ManifestHeader header, List<SigningKey> signers) throws IOException {
        return finish(header, signers, staged -> { });
    }

    /** Adds files to a complete bundle before it is placed (e.g. recovery data over its manifest and volumes). */
    @FunctionalInterface
    public interface BeforePlacing {
        /**
         * @param stagingDir the staging directory holding the complete, signed bundle, or one medium directory of
         *                   it; files written here are placed with it (the directory is synced after this hook)
         */
        void addTo(Path stagingDir) throws IOException;
    }

    /**
     * As {@link #finish(ManifestHeader, List)}, running {@code beforePlacing} once everything else is written (manifest,
     * signatures, trust change, media labels) and before the bundle is synced and renamed: on the staging directory, or
     * on each medium directory of a bundle split over media ({@link #media(long, int)}). What it adds is placed
     * atomically with the bundle.
     */
    public Manifest finish(ManifestHeader header, List<SigningKey> signers, BeforePlacing beforePlacing)
            throws IOException {
        requireOpen();
        Objects.requireNonNull(header, "header");
        if (signers.isEmpty()) {
            throw new IllegalArgumentException("at least one signing key is required");
        }
        Set<String> fprs = new HashSet<>();
        for (SigningKey k : signers) {
            if (!fprs.add(k.fingerprint())) {
                throw new IllegalArgumentException("signing key " + k.fingerprint() + " given twice");
            }
        }
        broken = true;
        Manifest m = Manifest.of(header, volumes.finish(), entries);
        steps.reached("volumes");
        byte[] bytes = ManifestCodec.write(m);
        if (bytes.length > Limits.MAX_MANIFEST_BYTES) {
            throw new IOException("manifest would be " + bytes.length + " bytes, over the limit of "
                    + Limits.MAX_MANIFEST_BYTES + "; export fewer entries per bundle");
        }
        writeSynced(staging.resolve(BundleLayout.MANIFEST), bytes);
        steps.reached("manifest");
        for (SigningKey k : signers) {
            String armored = DetachedSignatures.sign(k, bytes);
            writeSynced(staging.resolve(BundleLayout.SIGNATURES_DIR).resolve(BundleLayout.signatureFileName(k.fingerprint())),
                    armored.getBytes(StandardCharsets.US_ASCII));
            steps.reached("signature");
        }
        syncDirectory(staging.resolve(BundleLayout.SIGNATURES_DIR));
        if (trustChange != null) {
            trustChange.write(staging.resolve(BundleLayout.TRUST_DIR));
        }
        if (mediaSize > 0) {
            for (Path medium : MediaSplit.arrange(staging, m, bytes, Hex.lower(Digests.sha256().digest(bytes)),
                    mediaSize, mediaRecoveryPercent, volumes.capacity())) {
                beforePlacing.addTo(medium);
                syncDirectory(medium);
                long used = MediaSplit.treeBytes(medium);
                if (used > mediaSize - MediaSplit.RESERVE) {
                    // the plan leaves room for what the hook adds; a hook that writes more must not go unnoticed
                    throw new IOException(medium.getFileName() + " holds " + used + " bytes, more than a medium of "
                            + mediaSize + " bytes with " + MediaSplit.RESERVE + " bytes for its file system");
                }
            }
        } else {
            beforePlacing.addTo(staging);
        }
        syncDirectory(staging);
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "bundle directory appeared while writing");
        }
        steps.reached("rename");
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        finished = true;
        broken = false;
        syncDirectory(target.getParent());
        steps.reached("placed");
        return m;
    }

    /**
     * Writes the bundle split over media of {@code mediaSize} bytes: {@code <bundleDir>/medium-01/}, ... each with a
     * copy of the manifest and signatures, the volumes that fit and a {@link MediumLabel} (docs/bundle-format.md,
     * section 11). Call before {@link #finish}.
     *
     * @throws IllegalArgumentException if a medium of that size cannot hold one volume ({@link
     *         MediaSplit#minimumMediaSize})
     */
    public BundleWriter media(long mediaSize) {
        return media(mediaSize, 0);
    }

    /**
     * As {@link #media(long)}, each medium keeping room for PAR 2.0 recovery data of {@code recoveryPercent} over its
     * own files (its manifest copy, signatures, label, trust change and volumes; recovery files at most a volume's
     * size each), which the {@link BeforePlacing} hook of {@link #finish} writes on each medium.
     *
     * @param recoveryPercent 0 (no recovery data) to 100
     * @throws IllegalArgumentException if a medium of that size cannot hold one volume with its recovery data ({@link
     *         MediaSplit#minimumMediaSize(long, int)}), or on a bad percentage
     */
    public BundleWriter media(long mediaSize, int recoveryPercent) {
        requireOpen();
        if (recoveryPercent < 0 || recoveryPercent > 100) {
            throw new IllegalArgumentException("recovery percentage must be 0 to 100: " + recoveryPercent);
        }
        long min = MediaSplit.minimumMediaSize(volumes.capacity(), recoveryPercent);
        if (mediaSize < min) {
            throw new IllegalArgumentException("media size " + mediaSize + " bytes cannot hold a volume of "
                    + volumes.capacity() + " bytes with the manifest"
                    + (recoveryPercent > 0 ? ", " + recoveryPercent + "% recovery data" : "") + " and "
                    + MediaSplit.RESERVE + " bytes for the medium's file system: at least " + min
                    + " bytes needed; choose a smaller volume size");
        }
        this.mediaSize = mediaSize;
        this.mediaRecoveryPercent = recoveryPercent;
        return this;
    }

    /**
     * Carries a signed trust policy change in the bundle ({@code trust/}, docs/security.md "Key rotation"); the
     * isolated side applies it after importing the bundle if its signatures satisfy the trust gate. Call before
     * {@link #finish}.
     */
    public BundleWriter trustChange(ferry.format.trust.SignedTrustChange change) {
        requireOpen();
        this.trustChange = Objects.requireNonNull(change, "change");
        return this;
    }

    /** Entries added so far, in order. */
    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    /**
     * Ends the writer. If {@link #finish} did not complete, deletes the staging directory and everything
     * in it; the target is never touched.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (!finished) {
            volumes.abort();
            deleteTree(staging);
        }
    }

    private void requireOpen() {
        if (closed || finished) {
            throw new IllegalStateException("bundle writer is " + (finished ? "finished" : "closed"));
        }
        if (broken) {
            throw new IllegalStateException("bundle writer failed earlier; close it and start again");
        }
    }

    private static void writeSynced(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
    }

    /** Makes a directory's entries durable where the platform allows it (a no-op where it does not). */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // e.g. Windows cannot open a directory; the rename is still atomic, only its durability is the OS's
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(walk.toList());
            java.util.Collections.reverse(all);
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        }
    }
}
