package ferry.exporter;

import ferry.format.Progress;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * Verified files of every source type, {@code <dir>/<XX>/<SHA1HEX>} ({@code XX} = the last two hex digits, as
 * in WSUS content URLs), or {@code <dir>/sha256/<xx>/<sha256hex>} for files their source names by SHA-256 only
 * (APT), so that no run downloads a file twice. Only files whose size and digests matched the
 * metadata are ever renamed into place; downloads in progress live in {@code <dir>/.partial/<owner>/} under unique names, so
 * several channels may share one cache. The owner names the state directory whose lock the run holds, so a run
 * deletes whatever a killed run of its own channel left there, and never another channel's download.
 *
 * <p>A cached file is re-hashed before each use rather than trusted through a sidecar: a sidecar records what
 * was true once, while the bundle must carry what is on disk now; and a corrupt entry found this way is simply
 * downloaded again instead of failing the run. Reading a local file costs far less than the download it saves.
 */
final class FileCache {

    private static final Duration STALE_PARTIAL = Duration.ofDays(1);

    private final Path dir;
    private final Path partials;

    /**
     * @param owner the state directory whose lock the caller holds; its downloads in progress are
     *              {@code <dir>/.partial/<first 16 hex digits of SHA-256 of its absolute path>/}
     */
    FileCache(Path dir, Path owner) throws ExportConfigException {
        this.dir = dir;
        byte[] h;
        try {
            h = MessageDigest.getInstance("SHA-256").digest(owner.toAbsolutePath().normalize().toString()
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        this.partials = dir.resolve(".partial").resolve(java.util.HexFormat.of().formatHex(h, 0, 8));
        try {
            Files.createDirectories(partials);
        } catch (IOException e) {
            throw new ExportConfigException("cannot create file cache " + dir + ": " + e.getMessage(), e);
        }
        removeOwnPartials();
        removeStalePartials();
    }

    Path dir() {
        return dir;
    }

    /** Where the file lives once verified ({@link RemoteFile#cachePath()}). */
    Path path(RemoteFile f) {
        return dir.resolve(f.cachePath());
    }

    /** A fresh, unique file for a download in progress. */
    Path newPartial() throws ExportConfigException {
        try {
            return Files.createTempFile(partials, "dl-", ".part");
        } catch (IOException e) {
            throw new ExportConfigException("cannot create a file in cache " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Moves a verified download into place. */
    Path commit(Path partial, RemoteFile f) throws ExportConfigException {
        Path target = path(f);
        try {
            Files.createDirectories(target.getParent());
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            StateStore.deleteQuietly(partial);
            throw new ExportConfigException("cannot store " + target + " in the file cache: " + e.getMessage(), e);
        }
    }

    /**
     * The cached file if it is present and still matches the metadata; a mismatching one is deleted.
     *
     * @return null when the file must be downloaded
     */
    Path verified(RemoteFile f, Progress progress) throws ExportConfigException {
        Path p = path(f);
        if (!Files.isRegularFile(p)) {
            return null;
        }
        MessageDigest sha1 = RemoteFile.sha1();
        MessageDigest sha256 = RemoteFile.sha256();
        long size = 0;
        progress.begin("check cached " + f.name(), f.size());
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha1.update(buf, 0, n);
                sha256.update(buf, 0, n);
                size += n;
                progress.advance(n);
            }
        } catch (IOException e) {
            throw new ExportConfigException("cannot read cached file " + p + ": " + e.getMessage(), e);
        } finally {
            progress.end();
        }
        String problem = f.mismatch(size, sha1.digest(), sha256.digest());
        if (problem == null) {
            return p;
        }
        progress.info("cached " + p + " is damaged (" + problem + "); downloading it again");
        StateStore.deleteQuietly(p);
        return null;
    }

    /** Whatever is in our own partial directory was left by a killed run of this channel: we hold its lock. */
    private void removeOwnPartials() throws ExportConfigException {
        try (Stream<Path> s = Files.list(partials)) {
            for (Path p : s.toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new ExportConfigException("cannot clean " + partials + " in the file cache: " + e.getMessage(), e);
        }
    }

    /** Partials (of the old flat layout) untouched for a day belong to crashed runs: a live download keeps writing, so its time stays recent. */
    private void removeStalePartials() {
        Instant cutoff = Instant.now().minus(STALE_PARTIAL);
        try (Stream<Path> s = Files.list(dir.resolve(".partial"))) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                FileTime t = Files.getLastModifiedTime(p);
                if (t.toInstant().isBefore(cutoff)) {
                    StateStore.deleteQuietly(p);
                }
            }
        } catch (IOException ignored) {
            // cleaning is best effort
        }
    }
}
