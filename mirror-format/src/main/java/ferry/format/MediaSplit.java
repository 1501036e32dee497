package ferry.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Groups a bundle's volumes into media of a given size and lays the staged bundle out as one directory per medium
 * (docs/bundle-format.md, section 11): {@code medium-01/}, {@code medium-02/}, ... each holding a copy of the manifest,
 * the signatures and any trust policy change, the volumes it holds, and its {@link MediumLabel}.
 *
 * <p>Volumes go to media in order, as many as fit: a medium holds its volumes plus the copied files plus
 * {@link #RESERVE} bytes kept free for the medium's file system (UDF, FAT32 or exFAT metadata).
 */
public final class MediaSplit {
    /** Bytes of each medium left for its file system's own structures: 1 MiB. */
    public static final long RESERVE = 1024 * 1024;

    private MediaSplit() { }

    /**
     * The smallest medium that can hold one volume of {@code volumeSize} bytes with the reserve and a small manifest
     * (64 KiB more): what {@code --media-size} must at least be.
     */
    public static long minimumMediaSize(long volumeSize) {
        return volumeSize + RESERVE + 64 * 1024;
    }

    /**
     * The smallest medium that can hold one volume of {@code volumeSize} bytes with the reserve, a small manifest (64
     * KiB more) and recovery data of {@code recoveryPercent} over them (0: none).
     */
    public static long minimumMediaSize(long volumeSize, int recoveryPercent) {
        long min = minimumMediaSize(volumeSize);
        if (recoveryPercent == 0) {
            return min;
        }
        java.util.Map<String, Long> files = new java.util.TreeMap<>();
        files.put(BundleLayout.MANIFEST, 64L * 1024);
        files.put(BundleLayout.VOLUMES_DIR + "/" + BundleLayout.volumeName(1), volumeSize);
        return min + ferry.format.par2.RecoveryWriter.sizeOf(files, recoveryPercent, volumeSize);
    }

    /**
     * Which volumes go on which medium.
     *
     * @param perMediumBytes bytes every medium carries besides its volumes (manifest, signatures, label, trust change)
     * @return for each medium in order, its volumes (one empty medium for a bundle without volumes)
     * @throws IOException naming the sizes when a volume does not fit on a medium with those bytes
     */
    static List<List<Volume>> plan(List<Volume> volumes, long mediaSize, long perMediumBytes) throws IOException {
        return plan(volumes, mediaSize, java.util.Map.of(BundleLayout.MANIFEST, perMediumBytes), 0, 0);
    }

    /**
     * Which volumes go on which medium when each medium also carries recovery data over its own files.
     *
     * @param perMedium        the files every medium carries besides its volumes (relative name to bytes, an upper
     *                         bound for the label)
     * @param recoveryPercent  0, or the percentage of PAR 2.0 recovery data written on each medium over its files
     * @param recoveryFileBytes the largest recovery file (as {@code RecoveryWriter.write} takes it)
     * @throws IOException naming the sizes when a volume does not fit on a medium with those bytes
     */
    static List<List<Volume>> plan(List<Volume> volumes, long mediaSize, java.util.Map<String, Long> perMedium,
                                   int recoveryPercent, long recoveryFileBytes) throws IOException {
        long perMediumBytes = perMedium.values().stream().mapToLong(Long::longValue).sum();
        long room = mediaSize - RESERVE;
        List<List<Volume>> media = new ArrayList<>();
        List<Volume> current = new ArrayList<>();
        for (Volume v : volumes) {
            List<Volume> with = new ArrayList<>(current);
            with.add(v);
            if (needs(with, perMedium, perMediumBytes, recoveryPercent, recoveryFileBytes) <= room) {
                current = with;
                continue;
            }
            if (current.isEmpty() || needs(List.of(v), perMedium, perMediumBytes, recoveryPercent,
                    recoveryFileBytes) > room) {
                throw new IOException("a medium of " + mediaSize + " bytes cannot hold volume " + v.name() + " ("
                        + v.size() + " bytes) with the manifest and signatures (" + perMediumBytes + " bytes)"
                        + (recoveryPercent > 0 ? ", " + recoveryPercent + "% recovery data" : "") + " and "
                        + RESERVE + " bytes for its file system; choose a smaller volume size or larger media");
            }
            media.add(current);
            current = new ArrayList<>(List.of(v));
        }
        media.add(current);
        return media;
    }

    /** Bytes a medium holding these volumes needs, without the reserve. */
    private static long needs(List<Volume> vols, java.util.Map<String, Long> perMedium, long perMediumBytes,
                              int recoveryPercent, long recoveryFileBytes) {
        long bytes = perMediumBytes;
        for (Volume v : vols) {
            bytes += v.size();
        }
        if (recoveryPercent == 0) {
            return bytes;
        }
        java.util.Map<String, Long> files = new java.util.TreeMap<>(perMedium);
        for (Volume v : vols) {
            files.put(BundleLayout.VOLUMES_DIR + "/" + v.name(), v.size());
        }
        return bytes + ferry.format.par2.RecoveryWriter.sizeOf(files, recoveryPercent, recoveryFileBytes);
    }

    /**
     * Rearranges a staging directory holding {@code manifest.json}, {@code signatures/}, {@code volumes/} and maybe
     * {@code trust/} into one directory per medium. Volumes are moved (same file system), the rest copied; every
     * file is synced. With {@code recoveryPercent} above 0 each medium keeps room for that much recovery data over its
     * own files (written afterwards on each medium, {@code BundleWriter.BeforePlacing}).
     *
     * @return the medium directories, in order
     * @throws IOException if a volume does not fit on a medium ({@link #plan}) or on I/O failure
     */
    static List<Path> arrange(Path staging, Manifest m, byte[] manifestBytes, String manifestSha256, long mediaSize,
                              int recoveryPercent, long recoveryFileBytes) throws IOException {
        List<Path> shared = new ArrayList<>();
        shared.add(staging.resolve(BundleLayout.MANIFEST));
        shared.add(staging.resolve(BundleLayout.SIGNATURES_DIR));
        if (Files.isDirectory(staging.resolve(BundleLayout.TRUST_DIR))) {
            shared.add(staging.resolve(BundleLayout.TRUST_DIR));
        }
        java.util.Map<String, Long> perMedium = new java.util.TreeMap<>();
        for (Path p : shared) {
            try (var walk = Files.walk(p)) {
                for (Path f : (Iterable<Path>) walk::iterator) {
                    if (Files.isRegularFile(f)) {
                        perMedium.put(staging.relativize(f).toString().replace('\\', '/'), Files.size(f));
                    }
                }
            }
        }
        // the label lists every volume once, about 40 bytes each with the JSON around it, plus a fixed part
        perMedium.put(BundleLayout.MEDIUM_LABEL, 4096 + 40L * m.volumes().size());
        List<List<Volume>> plan = plan(m.volumes(), mediaSize, perMedium, recoveryPercent, recoveryFileBytes);
        List<Path> mediumDirs = new ArrayList<>();
        List<List<String>> names = new ArrayList<>();
        for (List<Volume> l : plan) {
            names.add(l.stream().map(Volume::name).toList());
        }
        for (int i = 0; i < plan.size(); i++) {
            Path medium = staging.resolve(BundleLayout.mediumDirName(i + 1));
            Files.createDirectory(medium);
            mediumDirs.add(medium);
            for (Path p : shared) {
                copyTree(p, medium.resolve(p.getFileName().toString()));
            }
            Path vols = Files.createDirectory(medium.resolve(BundleLayout.VOLUMES_DIR));
            for (String v : names.get(i)) {
                Files.move(staging.resolve(BundleLayout.VOLUMES_DIR).resolve(v), vols.resolve(v),
                        StandardCopyOption.ATOMIC_MOVE);
            }
            MediumLabel label = new MediumLabel(MediumLabel.FORMAT_VERSION, MediumLabel.text(m, i + 1, plan.size()),
                    m.bundleId(), m.channel(), m.sequence(), manifestSha256, i + 1, plan.size(), names.get(i), names);
            writeSynced(medium.resolve(BundleLayout.MEDIUM_LABEL), label.toBytes());
            sync(vols);
            sync(medium);
        }
        Files.delete(staging.resolve(BundleLayout.VOLUMES_DIR));
        for (Path p : shared) {
            deleteTree(p);
        }
        return mediumDirs;
    }

    /** The bytes of the regular files under {@code dir}. */
    static long treeBytes(Path dir) throws IOException {
        return treeSize(dir);
    }

    private static long treeSize(Path p) throws IOException {
        try (var walk = Files.walk(p)) {
            long n = 0;
            for (Path f : (Iterable<Path>) walk::iterator) {
                n += Files.isRegularFile(f) ? Files.size(f) : 0;
            }
            return n;
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (Files.isDirectory(from)) {
            Files.createDirectory(to);
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(from)) {
                for (Path p : ds) {
                    copyTree(p, to.resolve(p.getFileName().toString()));
                }
            }
            sync(to);
        } else {
            writeSynced(to, Files.readAllBytes(from));
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (var walk = Files.walk(p)) {
            List<Path> all = new ArrayList<>(walk.toList());
            java.util.Collections.reverse(all);
            for (Path f : all) {
                Files.delete(f);
            }
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

    private static void sync(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // a platform that cannot open a directory: the final rename is still atomic
        }
    }
}
