package ferry.apt.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ferry.apt.deb822.ControlFileReader;
import ferry.apt.deb822.Paragraph;
import ferry.apt.select.Closure;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorInputStream;
import org.junit.jupiter.api.Test;

/**
 * Real data: the signed Release and the Packages index this machine's own apt fetched (under
 * {@code /var/lib/apt/lists}, present on every Debian machine that ran {@code apt-get update}, as CI does before it
 * installs anything). The Packages index's SHA-256 must match the Release's entry, and every one of its tens of
 * thousands of entries must parse, and the dependency closure of {@code apt} over the amd64 index must be complete. Debian's own suites only; skipped where apt has no lists.
 */
class LocalAptListsTest {
    private static final Path LISTS = Path.of("/var/lib/apt/lists");

    @Test
    void theLocalSuiteAndItsPackagesIndexParse() throws Exception {
        assumeTrue(Files.isDirectory(LISTS), "no apt lists on this machine");
        List<Path> inReleases;
        try (Stream<Path> s = Files.list(LISTS)) {
            inReleases = s.filter(p -> p.getFileName().toString().endsWith("_InRelease")).sorted().toList();
        }
        assumeTrue(!inReleases.isEmpty(), "apt has fetched no InRelease");
        int indexes = 0;
        for (Path inRelease : inReleases) {
            String name = inRelease.getFileName().toString();
            String prefix = name.substring(0, name.length() - "InRelease".length());
            ReleaseFile release = ReleaseFile.parse(signedText(Files.readString(inRelease, StandardCharsets.UTF_8)));
            assertTrue(release.sha256().size() > 10, name);
            if (!release.origin().equals("Debian")) {
                continue; // third-party repositories on a developer's machine are not this test's subject
            }
            try (Stream<Path> s = Files.list(LISTS)) {
                for (Path packages : s.filter(p -> p.getFileName().toString().startsWith(prefix)
                        && p.getFileName().toString().matches(".*_Packages(\\.lz4)?")).toList()) {
                    // apt names the list after the index's path below dists/<suite>/, '/' written as '_'
                    String file = packages.getFileName().toString();
                    String path = file.substring(prefix.length()).replace('_', '/').replaceAll("\\.lz4$", "");
                    ReleaseFile.IndexFile listed = release.index(path).orElseThrow(
                            () -> new AssertionError(path + " is not in " + name));
                    List<PackageEntry> entries = checkIndex(packages, listed);
                    if (path.equals("main/binary-amd64/Packages")) {
                        closureOfApt(entries);
                    }
                    indexes++;
                }
            }
        }
        assumeTrue(indexes > 0, "apt has fetched no Packages index");
    }

    /** The closure of apt over Debian's own amd64 index is complete and holds what apt is known to need. */
    private static void closureOfApt(List<PackageEntry> universe) {
        Closure.Result r = new Closure(universe, "amd64").resolve(List.of("apt"), false);
        assertEquals(List.of(), r.unsatisfied());
        List<String> names = r.packages().stream().map(PackageEntry::name).toList();
        assertTrue(names.containsAll(List.of("apt", "libc6", "libapt-pkg6.0", "debian-archive-keyring")), names.toString());
        assertTrue(names.size() > 10 && names.size() < 100, names.size() + " packages");
    }

    private static List<PackageEntry> checkIndex(Path file, ReleaseFile.IndexFile listed) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        List<PackageEntry> entries = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(file);
             InputStream plain = file.toString().endsWith(".lz4") ? new FramedLZ4CompressorInputStream(raw) : raw;
             DigestInputStream hashed = new DigestInputStream(plain, sha);
             ControlFileReader r = new ControlFileReader(new InputStreamReader(hashed, StandardCharsets.UTF_8),
                     file.getFileName().toString())) {
            Paragraph p;
            while ((p = r.next()) != null) {
                entries.add(PackageEntry.of(p));
            }
            hashed.transferTo(OutputStreamNull.INSTANCE);
        }
        assertEquals(listed.sha256(), HexFormat.of().formatHex(sha.digest()), file + " against the Release");
        assertTrue(entries.size() > 100, file + ": " + entries.size() + " entries");
        return entries;
    }

    private static final class OutputStreamNull extends java.io.OutputStream {
        static final OutputStreamNull INSTANCE = new OutputStreamNull();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }

    /** The text a clearsigned message signs (RFC 4880 7.1), dash-escaping undone. The signature is not checked here. */
    private static String signedText(String clearsigned) {
        int start = clearsigned.indexOf("\n\n");
        int end = clearsigned.indexOf("\n-----BEGIN PGP SIGNATURE-----");
        assertTrue(clearsigned.startsWith("-----BEGIN PGP SIGNED MESSAGE-----") && start > 0 && end > start);
        StringBuilder out = new StringBuilder();
        for (String line : clearsigned.substring(start + 2, end).split("\n", -1)) {
            out.append(line.startsWith("- ") ? line.substring(2) : line).append('\n');
        }
        return out.toString();
    }
}
