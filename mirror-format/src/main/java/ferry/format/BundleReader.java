package ferry.format;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a bundle directory. Parses the manifest strictly but does <em>not</em> check signatures,
 * volume digests or the directory's contents: run the verifier first, then read with this.
 * Immutable after {@link #open}; safe to share between threads (each {@link #openEntry} stream is not).
 */
public final class BundleReader {
    private final Path dir;
    private final byte[] manifestBytes;
    private final Manifest manifest;
    private final Set<Entry> entries;

    private BundleReader(Path dir, byte[] manifestBytes, Manifest manifest) {
        this.dir = dir;
        this.manifestBytes = manifestBytes;
        this.manifest = manifest;
        this.entries = new HashSet<>(manifest.entries());
    }

    /**
     * Opens a bundle: reads and parses {@code manifest.json}.
     *
     * @throws NoSuchFileException if the directory or the manifest is missing
     * @throws BundleFormatException if the manifest is too large or invalid (names the JSON field)
     */
    public static BundleReader open(Path bundleDir) throws IOException {
        byte[] bytes = readManifestBytes(bundleDir);
        return new BundleReader(bundleDir, bytes, ManifestCodec.read(bytes));
    }

    /**
     * A reader over manifest bytes already read and parsed (by the verifier's trust gate, which reads the manifest
     * exactly once): no file is read again, so what is used is what was verified.
     *
     * @throws IllegalArgumentException if {@code manifest} is not what {@code manifestBytes} encode
     */
    public static BundleReader of(Path bundleDir, byte[] manifestBytes, Manifest manifest) {
        byte[] bytes = manifestBytes.clone();
        if (!java.util.Arrays.equals(ManifestCodec.write(manifest), bytes)) {
            throw new IllegalArgumentException("the manifest model does not match the manifest bytes");
        }
        return new BundleReader(bundleDir, bytes, manifest);
    }

    /**
     * Reads the raw manifest bytes without parsing them, refusing more than
     * {@link Limits#MAX_MANIFEST_BYTES}.
     *
     * @throws NoSuchFileException if missing
     * @throws BundleFormatException ({@code field() == "manifest.json"}) if too large or not a regular file
     */
    public static byte[] readManifestBytes(Path bundleDir) throws IOException {
        Path file = bundleDir.resolve(BundleLayout.MANIFEST);
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new BundleFormatException(BundleLayout.MANIFEST, "is not a regular file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) Limits.MAX_MANIFEST_BYTES + 1);
            if (bytes.length > Limits.MAX_MANIFEST_BYTES) {
                throw new BundleFormatException(BundleLayout.MANIFEST, "larger than the limit of "
                        + Limits.MAX_MANIFEST_BYTES + " bytes");
            }
            return bytes;
        }
    }

    /** The bundle directory. */
    public Path directory() {
        return dir;
    }

    /** The parsed manifest. */
    public Manifest manifest() {
        return manifest;
    }

    /** The exact manifest bytes (a copy), as signed. */
    public byte[] manifestBytes() {
        return manifestBytes.clone();
    }

    /**
     * Files under {@code signatures/}, sorted by name; any name, so the caller can report odd ones.
     * Empty when the directory is missing.
     */
    public List<Path> signatureFiles() throws IOException {
        Path sigDir = dir.resolve(BundleLayout.SIGNATURES_DIR);
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(sigDir, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(sigDir)) {
            ds.forEach(out::add);
        }
        out.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return out;
    }

    /** Path of a volume file (which may be missing). */
    public Path volumeFile(Volume volume) {
        return volumeFile(volume.name());
    }

    /** Path of the volume file named {@code name}, e.g. {@code volume-0001.tar}. */
    public Path volumeFile(String name) {
        if (BundleLayout.volumeIndex(name) < 0) {
            throw new IllegalArgumentException("not a volume name: " + name);
        }
        return dir.resolve(BundleLayout.VOLUMES_DIR).resolve(name);
    }

    /**
     * Streams an entry's content from its segments. The stream checks size, SHA-256 and SHA-1 and throws
     * {@link EntryDigestException} when a volume is missing or truncated (as soon as that is seen) or a
     * digest differs (when end of stream is reached, before returning -1). Close it.
     *
     * @throws IllegalArgumentException if the entry is not from this bundle's manifest
     */
    public InputStream openEntry(Entry entry) {
        if (!entries.contains(entry)) {
            throw new IllegalArgumentException("entry not in this bundle: " + entry.path());
        }
        return new SegmentInputStream(entry, this::volumeFile);
    }
}
