package ferry.verifier;

import ferry.format.BundleLayout;
import ferry.format.BundleSource;
import ferry.format.Manifest;
import ferry.format.Volume;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks that the bundle directory holds exactly what the format and the manifest allow. */
final class LayoutStage {
    private LayoutStage() { }

    /**
     * Reports unexpected files (in every directory of the source; a medium may also hold its label {@code medium.json},
     * and any bundle a {@code trust/} change, whose contents the gate checks) and missing volumes.
     *
     * @return names of the listed volumes present as regular files
     */
    static Set<String> run(BundleSource source, Manifest m, boolean reportExtras, boolean reportMissing,
                           Problems problems) {
        Set<String> listed = new HashSet<>();
        for (Volume v : m.volumes()) {
            listed.add(v.name());
        }
        if (reportExtras) {
            for (Path dir : source.directories()) {
                String prefix = source.spread() ? dir.getFileName() + "/" : "";
                extras(dir, prefix, listed, problems);
            }
        }
        Set<String> present = new HashSet<>();
        for (Volume v : m.volumes()) {
            if (Files.isRegularFile(source.volumeFile(v.name()), LinkOption.NOFOLLOW_LINKS)) {
                present.add(v.name());
            }
        }
        if (reportMissing) {
            for (Volume v : m.volumes()) {
                if (!present.contains(v.name())) {
                    problems.add(Problem.Code.VOLUME_MISSING, "volume " + v.name(), "listed in the manifest but absent"
                            + (source.spread() ? " from all " + source.directories().size() + " directories" : ""));
                }
            }
        }
        return present;
    }

    /** Reports what one bundle or medium directory holds beyond the format. */
    private static void extras(Path bundleDir, String prefix, Set<String> listed, Problems problems) {
        for (Path p : list(bundleDir, problems)) {
            String name = p.getFileName().toString();
            boolean ok = switch (name) {
                case BundleLayout.MANIFEST, BundleLayout.MEDIUM_LABEL -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
                case BundleLayout.SIGNATURES_DIR, BundleLayout.VOLUMES_DIR, BundleLayout.TRUST_DIR ->
                        Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
                // PAR 2.0 recovery files are unsigned repair aids: allowed, never trusted (a repair is verified)
                default -> BundleLayout.isRecoveryFileName(name) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
            };
            if (!ok) {
                unexpected(problems, prefix + name, p);
            }
        }
        Path sigs = bundleDir.resolve(BundleLayout.SIGNATURES_DIR);
        if (Files.isDirectory(sigs, LinkOption.NOFOLLOW_LINKS)) {
            for (Path p : list(sigs, problems)) {
                String name = p.getFileName().toString();
                if (!BundleLayout.isSignatureFileName(name) || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    unexpected(problems, prefix + BundleLayout.SIGNATURES_DIR + "/" + name, p);
                }
            }
        }
        Path vols = bundleDir.resolve(BundleLayout.VOLUMES_DIR);
        if (Files.isDirectory(vols, LinkOption.NOFOLLOW_LINKS)) {
            for (Path p : list(vols, problems)) {
                String name = p.getFileName().toString();
                if (!listed.contains(name) || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    unexpected(problems, prefix + BundleLayout.VOLUMES_DIR + "/" + name, p);
                }
            }
        }
    }

    private static void unexpected(Problems problems, String rel, Path p) {
        String kind = Files.isSymbolicLink(p) ? "symbolic link" : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                ? "directory" : Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? "file" : "special file";
        problems.add(Problem.Code.UNEXPECTED_FILE, "file " + rel, "unexpected " + kind + " (not part of the bundle format)");
    }

    private static List<Path> list(Path dir, Problems problems) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(out::add);
        } catch (IOException e) {
            problems.add(Problem.Code.UNEXPECTED_FILE, "file " + dir.getFileName(), "cannot list: " + e.getMessage());
        }
        out.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return out;
    }
}
