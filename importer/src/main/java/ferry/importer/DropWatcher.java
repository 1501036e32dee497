package ferry.importer;

import ferry.format.Manifest;
import ferry.format.Progress;
import ferry.format.Volume;
import ferry.format.par2.RecoveryException;
import ferry.format.par2.RecoveryFiles;
import ferry.format.par2.RecoveryRepair;
import ferry.format.trust.TrustStore;
import ferry.verifier.BundleVerifier;
import ferry.verifier.ChannelPolicy;
import ferry.verifier.Problem;
import ferry.verifier.VerificationReport;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Imports bundles from a drop directory that a one-way link (a data diode, a file transfer) fills: each bundle in a
 * directory of its own, {@code <drop>/<name>/manifest.json, signatures/, volumes/, recovery*.par2}, its files
 * arriving in any order and over hours.
 *
 * <p>Each {@link #scan} looks at every bundle directory once:
 * <ol>
 *   <li>the signed manifest is admitted alone ({@link BundleVerifier#admitManifest}); until then the bundle waits
 *       (a half-written manifest or a missing signature fails admission and is tried again when it changes);</li>
 *   <li>each volume of the manifest's size is verified on arrival ({@link BundleVerifier#verifyVolume}) and the
 *       verdict kept for that size and modification time: a file that changes is checked again, so a half-written
 *       volume is never taken for a bad one for ever; a file that has not changed for the settle time and is short
 *       or does not match counts as damaged;</li>
 *   <li>when every volume is good the bundle is imported (bundles of a channel in sequence order); when some are
 *       missing or damaged, nothing in the directory changed for the settle time, and its PAR 2.0 recovery files
 *       can rebuild them, it is repaired ({@link RecoveryRepair}) and imported;</li>
 *   <li>an imported bundle (or one imported before: a duplicate) is moved to {@code <drop>/.ferry-imported/}, one
 *       the channel refuses for good (replay, reused id, jump, reset mismatch) to {@code <drop>/.ferry-refused/}; a
 *       delta whose base has not arrived waits for it. Names starting with a dot are never looked at.</li>
 * </ol>
 * Not thread-safe: one watcher per drop directory (the store's lock keeps two importers apart anyway).
 */
public final class DropWatcher {
    /** Where imported bundle directories are moved, inside the drop directory. */
    public static final String IMPORTED_DIR = ".ferry-imported";
    /** Where refused bundle directories are moved, inside the drop directory. */
    public static final String REFUSED_DIR = ".ferry-refused";

    /** What became of one bundle directory in one scan. */
    public enum State {
        /** No admissible signed manifest yet. */
        WAITING_FOR_MANIFEST,
        /** Some volumes missing, arriving or damaged. */
        PARTIAL,
        /** A delta whose base sequence is not imported yet. */
        WAITING_FOR_BASE,
        /** Imported now (repaired first when {@code repaired} is non-empty). */
        IMPORTED,
        /** Imported before: a duplicate, moved away. */
        ALREADY_IMPORTED,
        /** Refused for good by the channel policy, moved away. */
        REFUSED,
        /** Every volume arrived but the import failed; tried again when a file changes. */
        FAILED
    }

    /**
     * One bundle directory's state after a scan.
     *
     * @param name     the directory's name in the drop directory
     * @param state    what happened
     * @param missing  volumes not (completely) arrived, by name
     * @param damaged  volumes that arrived but do not match the manifest
     * @param repaired files rebuilt from recovery data before the import
     * @param message  one line for the operator
     * @param result   the import's result for {@link State#IMPORTED} and {@link State#ALREADY_IMPORTED}
     */
    public record Status(String name, State state, List<String> missing, List<String> damaged, List<String> repaired,
                         String message, ImportResult result) {
    }

    private final Path drop;
    private final Path store;
    private final TrustStore trust;
    private final Duration settle;
    private final Clock clock;
    private final Progress progress;
    private final BundleVerifier verifier;
    /** Volume verdicts by directory, volume, size and modification time. */
    private final Map<String, Boolean> verdicts = new HashMap<>();
    /** Directory fingerprints (names, sizes, times) at which a repair or import last failed: not retried unchanged. */
    private final Map<String, String> failedAt = new HashMap<>();
    private final Map<String, String> lastReported = new HashMap<>();

    /**
     * @param dropDir  the drop directory (must exist)
     * @param storeDir the store to import into
     * @param settle   how long a file must be unchanged before it counts as arrived for good (short or damaged)
     */
    public DropWatcher(Path dropDir, Path storeDir, TrustStore trust, Duration settle, Clock clock, Progress progress) {
        this.drop = dropDir.toAbsolutePath().normalize();
        this.store = Objects.requireNonNull(storeDir, "store");
        this.trust = Objects.requireNonNull(trust, "trust");
        this.settle = Objects.requireNonNull(settle, "settle");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.verifier = new BundleVerifier(trust);
    }

    /**
     * Looks at every bundle directory once, importing what is complete or repairable.
     *
     * @return the state of every bundle directory looked at, in name order
     * @throws IOException if the drop directory cannot be listed
     * @throws StoreBusyException another import holds the store (try again later)
     * @throws StoreUnusableException the store cannot be opened
     * @throws NoSpaceException not enough space in the store
     */
    public List<Status> scan() throws IOException, ImporterException {
        Instant now = clock.instant();
        List<Status> out = new ArrayList<>();
        List<Ready> ready = new ArrayList<>();
        for (Path dir : bundleDirs()) {
            Status s = look(dir, now, ready);
            if (s != null) {
                out.add(s);
            }
        }
        ready.sort(Comparator.comparing((Ready r) -> r.manifest.channel()).thenComparingLong(r -> r.manifest.sequence()));
        for (Ready r : ready) {
            out.add(importOne(r, now));
        }
        out.sort(Comparator.comparing(Status::name));
        return out;
    }

    /**
     * Scans every {@code poll} until {@code stop} says so, reporting each change of a bundle's state.
     *
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public void run(Duration poll, BooleanSupplier stop, Consumer<Status> report) throws InterruptedException {
        while (!stop.getAsBoolean()) {
            try {
                for (Status s : scan()) {
                    String key = s.state() + "|" + s.message();
                    if (!key.equals(lastReported.put(s.name(), key))) {
                        report.accept(s);
                    }
                }
            } catch (StoreBusyException e) {
                report.accept(new Status("(store)", State.FAILED, List.of(), List.of(), List.of(),
                        e.getMessage() + "; trying again", null));
            } catch (IOException | ImporterException e) {
                report.accept(new Status("(drop)", State.FAILED, List.of(), List.of(), List.of(), e.getMessage(), null));
            }
            long until = System.nanoTime() + poll.toNanos();
            while (!stop.getAsBoolean() && System.nanoTime() < until) {
                Thread.sleep(Math.min(200, Math.max(1, poll.toMillis())));
            }
        }
    }

    private record Ready(Path dir, Manifest manifest, List<String> repaired) { }

    private List<Path> bundleDirs() throws IOException {
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(drop)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.startsWith(".") && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    dirs.add(p);
                }
            }
        }
        dirs.sort(null);
        return dirs;
    }

    /** The state of one directory; adds it to {@code ready} (and returns null) when it should be imported. */
    private Status look(Path dir, Instant now, List<Ready> ready) throws IOException {
        String name = dir.getFileName().toString();
        BundleVerifier.Admission a = verifier.admitManifest(dir, now);
        if (!a.ok() && repairWithoutManifest(dir, name, now)) {
            a = verifier.admitManifest(dir, now);
        }
        if (!a.ok()) {
            String why = a.report().problems().stream().findFirst().map(Problem::toString).orElse("not admitted");
            return status(name, State.WAITING_FOR_MANIFEST, List.of(), List.of(), "waiting for a signed manifest ("
                    + why + ")");
        }
        Manifest m = a.bundle().manifest();
        List<String> missing = new ArrayList<>();
        List<String> damaged = new ArrayList<>();
        boolean settled = true;
        for (Volume v : m.volumes()) {
            Path f = dir.resolve("volumes").resolve(v.name());
            BasicFileAttributes at = attributes(f);
            if (at == null) {
                missing.add(v.name());
                continue;
            }
            boolean stable = !at.lastModifiedTime().toInstant().isAfter(now.minus(settle));
            settled &= stable;
            if (at.size() != v.size()) {
                if (stable && at.size() > v.size()) {
                    damaged.add(v.name());
                } else {
                    missing.add(v.name());      // still arriving, or stopped short: a repair may rebuild it
                }
                continue;
            }
            String key = name + "/" + v.name() + "@" + at.size() + "@" + at.lastModifiedTime().toMillis();
            Boolean good = verdicts.get(key);
            if (good == null) {
                VerificationReport r = verifier.verifyVolume(dir, v.name(), now, Progress.NONE);
                good = r.ok();
                verdicts.put(key, good);
                if (good) {
                    progress.info("bundle " + name + ": " + v.name() + " arrived and verified");
                }
            }
            if (!good) {
                damaged.add(v.name());
            }
        }
        String head = "bundle " + m.bundleId() + " (channel " + m.channel() + ", sequence " + m.sequence() + ")";
        if (missing.isEmpty() && damaged.isEmpty()) {
            if (fingerprint(dir).equals(failedAt.get(name))) {
                return status(name, State.FAILED, missing, damaged, head + ": import failed before; waiting for a"
                        + " file to change");
            }
            ready.add(new Ready(dir, m, List.of()));
            return null;
        }
        String partial = head + ": " + (m.volumes().size() - missing.size() - damaged.size()) + " of "
                + m.volumes().size() + " volumes good" + (missing.isEmpty() ? "" : "; missing " + String.join(", ", missing))
                + (damaged.isEmpty() ? "" : "; damaged " + String.join(", ", damaged));
        List<Path> par2 = RecoveryFiles.find(dir);
        String print = fingerprint(dir);
        if (par2.isEmpty() || !settled || !quiet(dir, now) || print.equals(failedAt.get(name))) {
            return status(name, State.PARTIAL, missing, damaged, partial);
        }
        try {
            RecoveryRepair repair = RecoveryRepair.scan(dir, par2, Progress.NONE);
            if (!repair.result().repairable()) {
                failedAt.put(name, print);
                return status(name, State.PARTIAL, missing, damaged, partial + "; recovery data too short ("
                        + repair.result().damagedSlices() + " slices lost, " + repair.result().recoverySlices()
                        + " recovery slices)");
            }
            List<String> rebuilt = repair.repair(Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 4), progress);
            progress.info("bundle " + name + ": repaired " + String.join(", ", rebuilt) + " from recovery data");
            ready.add(new Ready(dir, m, rebuilt));
            return null;
        } catch (RecoveryException | IOException e) {
            failedAt.put(name, print);
            return status(name, State.PARTIAL, missing, damaged, partial + "; repair failed: " + e.getMessage());
        }
    }

    /**
     * A manifest or signature that stays bad once the directory is quiet may be damaged in transit: the recovery
     * data covers them too. True when a repair was made (the caller admits again; the repair proves nothing).
     */
    private boolean repairWithoutManifest(Path dir, String name, Instant now) throws IOException {
        List<Path> par2 = RecoveryFiles.find(dir);
        String print = fingerprint(dir);
        if (par2.isEmpty() || !quiet(dir, now) || print.equals(failedAt.get(name))) {
            return false;
        }
        try {
            RecoveryRepair repair = RecoveryRepair.scan(dir, par2, Progress.NONE);
            if (repair.result().intact() || !repair.result().repairable()) {
                failedAt.put(name, print);
                return false;
            }
            List<String> rebuilt = repair.repair(Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 4), progress);
            progress.info("bundle " + name + ": repaired " + String.join(", ", rebuilt) + " from recovery data");
            return true;
        } catch (RecoveryException e) {
            failedAt.put(name, print);
            return false;
        }
    }

    private Status importOne(Ready r, Instant now) throws ImporterException, IOException {
        String name = r.dir().getFileName().toString();
        try {
            ImportResult result = Importer.importBundle(r.dir(), store, trust, now, progress);
            moveTo(r.dir(), IMPORTED_DIR);
            verdicts.keySet().removeIf(k -> k.startsWith(name + "/"));
            failedAt.remove(name);
            return new Status(name, result.alreadyImported() ? State.ALREADY_IMPORTED : State.IMPORTED, List.of(),
                    List.of(), r.repaired(), result.message(), result);
        } catch (BundleRefusedException e) {
            if (e.verdict() == ChannelPolicy.Verdict.MISSING_BASE) {
                return status(name, State.WAITING_FOR_BASE, List.of(), List.of(), e.getMessage());
            }
            moveTo(r.dir(), REFUSED_DIR);
            return status(name, State.REFUSED, List.of(), List.of(), e.getMessage());
        } catch (BundleInvalidException e) {
            failedAt.put(name, fingerprint(r.dir()));
            return status(name, State.FAILED, List.of(), List.of(), e.getMessage());
        }
    }

    private Status status(String name, State state, List<String> missing, List<String> damaged, String message) {
        return new Status(name, state, List.copyOf(missing), List.copyOf(damaged), List.of(), message, null);
    }

    /** Moves a bundle directory under {@code <drop>/<where>/}, never over another. */
    private void moveTo(Path dir, String where) throws IOException {
        Path target = drop.resolve(where);
        Files.createDirectories(target);
        String n = dir.getFileName().toString();
        for (int i = 1; ; i++) {
            Path t = target.resolve(i == 1 ? n : n + "." + i);
            if (!Files.exists(t, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.move(dir, t, StandardCopyOption.ATOMIC_MOVE);
                    return;
                } catch (FileAlreadyExistsException e) {
                    // taken meanwhile: the next name
                }
            }
        }
    }

    /** Whether nothing in the directory changed within the settle time. */
    private boolean quiet(Path dir, Instant now) throws IOException {
        Instant limit = now.minus(settle);
        try (var walk = Files.walk(dir)) {
            return walk.allMatch(p -> {
                BasicFileAttributes at = attributes(p);
                return at == null || !at.lastModifiedTime().toInstant().isAfter(limit);
            });
        }
    }

    /** Names, sizes and modification times of every file: what a retry waits to see change. */
    private static String fingerprint(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (var walk = Files.walk(dir)) {
            walk.forEach(p -> {
                BasicFileAttributes at = attributes(p);
                if (at != null && at.isRegularFile()) {
                    files.put(dir.relativize(p).toString(), at.size() + "@" + at.lastModifiedTime().toMillis());
                }
            });
        }
        return files.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(";"));
    }

    private static BasicFileAttributes attributes(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null;
        }
    }
}
