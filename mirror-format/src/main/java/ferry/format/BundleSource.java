package ferry.format;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a bundle's files are: one bundle directory, or a bundle spread over several directories (the media of a
 * bundle split over media, each mounted somewhere: docs/bundle-format.md, section 11). Files are read where they lie,
 * never copied first, so read-only media are read in place.
 *
 * <p>The manifest and signatures are read from the {@link #primary()} directory; every other directory must hold a
 * byte-identical {@code manifest.json} (checked here, before anything is trusted, so that volumes of two bundles are
 * never mixed; the trust gate then authenticates those bytes once). A volume is taken from the first directory, in the
 * order given, that holds it. Immutable.
 */
public final class BundleSource {
    private final List<Path> directories;
    private final Map<String, Path> volumes;

    private BundleSource(List<Path> directories, Map<String, Path> volumes) {
        this.directories = List.copyOf(directories);
        this.volumes = Collections.unmodifiableMap(volumes);
    }

    /** One bundle directory (or one medium), as given. Its volumes are listed lazily by {@link #volumeFile}. */
    public static BundleSource of(Path bundleDir) {
        return new BundleSource(List.of(bundleDir), Map.of());
    }

    /**
     * A bundle spread over {@code dirs}: each is a bundle or medium directory (holding {@code manifest.json}) or a
     * directory whose {@code medium-NN} subdirectories are (the output directory of an export to media).
     *
     * @throws NoSuchFileException naming a directory that does not exist or holds neither
     * @throws BundleFormatException ({@code field()} = {@code manifest.json}) naming a directory whose manifest
     *         differs from the first one's: it belongs to another bundle
     * @throws IOException on I/O failure
     */
    public static BundleSource of(List<Path> dirs) throws IOException {
        if (dirs.isEmpty()) {
            throw new IllegalArgumentException("no directory given");
        }
        List<Path> expanded = new ArrayList<>();
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) {
                throw new NoSuchFileException(d.toString(), null, "no such directory");
            }
            if (Files.exists(d.resolve(BundleLayout.MANIFEST), LinkOption.NOFOLLOW_LINKS)) {
                expanded.add(d);
                continue;
            }
            List<Path> media = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
                for (Path p : ds) {
                    if (BundleLayout.mediumIndex(p.getFileName().toString()) > 0
                            && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                        media.add(p);
                    }
                }
            }
            if (media.isEmpty()) {
                throw new NoSuchFileException(d.toString(), null, "holds no " + BundleLayout.MANIFEST
                        + " and no medium-NN directory: not a bundle or medium");
            }
            media.sort(Comparator.comparing(p -> p.getFileName().toString()));
            expanded.addAll(media);
        }
        byte[] first = BundleReader.readManifestBytes(expanded.get(0));
        Map<String, Path> volumes = new LinkedHashMap<>();
        for (Path d : expanded) {
            if (d != expanded.get(0) && !Arrays.equals(first, BundleReader.readManifestBytes(d))) {
                throw new BundleFormatException(BundleLayout.MANIFEST, d + " holds the manifest of another bundle than "
                        + expanded.get(0) + "; give only the media of one bundle");
            }
            Path vd = d.resolve(BundleLayout.VOLUMES_DIR);
            if (Files.isDirectory(vd, LinkOption.NOFOLLOW_LINKS)) {
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(vd)) {
                    List<Path> files = new ArrayList<>();
                    ds.forEach(files::add);
                    files.sort(Comparator.comparing(p -> p.getFileName().toString()));
                    for (Path f : files) {
                        String n = f.getFileName().toString();
                        if (BundleLayout.volumeIndex(n) > 0 && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                            volumes.putIfAbsent(n, f);
                        }
                    }
                }
            }
        }
        return new BundleSource(expanded, volumes);
    }

    /** Whether this source spans more than one directory. */
    public boolean spread() {
        return directories.size() > 1;
    }

    /** The directory the manifest and signatures are read from. */
    public Path primary() {
        return directories.get(0);
    }

    /** Every directory, primary first (media expanded). */
    public List<Path> directories() {
        return directories;
    }

    /**
     * The file of volume {@code name}: where one of the directories holds it, else where the primary directory would
     * (which may not exist).
     */
    public Path volumeFile(String name) {
        Objects.requireNonNull(name, "name");
        Path p = volumes.get(name);
        return p != null ? p : primary().resolve(BundleLayout.VOLUMES_DIR).resolve(name);
    }

    /** The directory holding volume {@code name}, or null when none of them does. */
    public Path holder(String name) {
        Path p = volumeFile(name);
        return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? p.getParent().getParent() : null;
    }

    @Override
    public String toString() {
        return directories.size() == 1 ? primary().toString() : directories.toString();
    }
}
