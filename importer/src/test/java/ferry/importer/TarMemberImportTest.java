package ferry.importer;

import static ferry.importer.TestBundles.ALICE;
import static ferry.importer.TestBundles.NOW;
import static ferry.importer.TestBundles.bundle;
import static ferry.importer.TestBundles.defenderUpdate;
import static ferry.importer.TestBundles.securityUpdate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ferry.format.BundleLayout;
import ferry.format.Entry;
import ferry.format.Manifest;
import ferry.format.ManifestCodec;
import ferry.format.Progress;
import ferry.format.Volume;
import ferry.format.pgp.DetachedSignatures;
import ferry.format.pgp.SigningKey;
import ferry.format.trust.TrustStore;
import ferry.verifier.BundleVerifier;
import ferry.verifier.Problem;
import ferry.verifier.VerificationReport;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Review finding 11 on the import side: a bundle correctly signed by a trusted key whose volume holds a tar member
 * unsafe to untar, or a member the manifest does not list, is refused by {@code import} exactly as by
 * {@code verify} (problem TAR_MEMBER_UNSAFE), and the store is left as it was. The import's single read goes
 * through the same volume walk as verify, so this holds without a second read.
 */
class TarMemberImportTest {
    private static final String VOLUME = "volumes/" + BundleLayout.volumeName(1);

    @TempDir
    Path tmp;
    Path storeDir;
    TrustStore trust;
    Path bundle;

    @BeforeEach
    void setUp() throws Exception {
        storeDir = tmp.resolve("store");
        trust = TestBundles.trust(tmp.resolve("trust"), 1, ALICE);
        Importer.importBundle(bundle().update(defenderUpdate(200)).write(tmp.resolve("b1")), storeDir, trust, NOW,
                Progress.NONE);
        bundle = bundle().sequence(2).update(securityUpdate()).write(tmp.resolve("b2"));
    }

    @Test
    void aMemberRenamedOutOfTheDirectoryIsRefusedByVerifyAndImport() throws Exception {
        Entry file = contentEntry();
        byte[] volume = Files.readAllBytes(bundle.resolve(VOLUME));
        rename(volume, (int) file.segments().get(0).offset() - 512, "../../etc/cron.d/ferry");
        resign(volume);

        assertRefusedByBoth("member \"../../etc/cron.d/ferry\" has a \"..\" segment in its name");
    }

    @Test
    void aSymbolicLinkAddedToAVolumeIsRefusedByVerifyAndImport() throws Exception {
        TarArchiveEntry link = new TarArchiveEntry("wsus/content/00/link", TarConstants.LF_SYMLINK);
        link.setLinkName("/etc/shadow");
        resign(append(Files.readAllBytes(bundle.resolve(VOLUME)), link, new byte[0]));

        assertRefusedByBoth("member \"wsus/content/00/link\" is a symbolic link to \"/etc/shadow\"; a volume may "
                + "hold only regular files");
    }

    @Test
    void aRegularMemberTheManifestDoesNotListIsRefusedByVerifyAndImport() throws Exception {
        byte[] volume = Files.readAllBytes(bundle.resolve(VOLUME));
        long dataAt = end(volume) + 512;
        TarArchiveEntry extra = new TarArchiveEntry("wsus/content/00/extra.exe");
        extra.setSize(3);
        resign(append(volume, extra, "MZ!".getBytes(StandardCharsets.US_ASCII)));

        assertRefusedByBoth("member \"wsus/content/00/extra.exe\" (3 bytes of data at byte " + dataAt
                + ") is not listed in the manifest");
    }

    @Test
    void theSameBundleResignedUnchangedIsImported() throws Exception {
        // the control: rewriting and signing the manifest is not what the tests above are refused for
        resign(Files.readAllBytes(bundle.resolve(VOLUME)));
        assertTrue(new BundleVerifier(trust).verify(bundle, NOW, Progress.NONE).ok());
        Importer.importBundle(bundle, storeDir, trust, NOW, Progress.NONE);
        assertEquals(2, StoreSnapshot.of(storeDir).bundles().size());
    }

    private void assertRefusedByBoth(String message) {
        Problem expected = new Problem(Problem.Code.TAR_MEMBER_UNSAFE, "volume " + BundleLayout.volumeName(1), message);
        VerificationReport verified = new BundleVerifier(trust).verify(bundle, NOW, Progress.NONE);
        assertEquals(List.of(expected), verified.problems(), verified.toText());

        StoreSnapshot before = StoreSnapshot.of(storeDir);
        BundleInvalidException e = assertThrows(BundleInvalidException.class,
                () -> Importer.importBundle(bundle, storeDir, trust, NOW, Progress.NONE));
        VerificationReport imported = e.report().orElseThrow();
        assertEquals(List.of(expected), imported.problems(), imported.toText());
        assertEquals(before, StoreSnapshot.of(storeDir), "catalog and objects as they were");
        assertTrue(imported.summary().entriesChecked() > 0, "the content was still read and checked by offset");
    }

    private Entry contentEntry() throws Exception {
        Manifest m = ManifestCodec.read(Files.readAllBytes(bundle.resolve(BundleLayout.MANIFEST)));
        return m.entries().stream().filter(e -> e.path().startsWith("wsus/content/")).findFirst().orElseThrow();
    }

    /** Writes {@code volume} as the bundle's first volume, with its size and SHA-256 in the manifest, signed by ALICE. */
    private void resign(byte[] volume) throws Exception {
        Files.write(bundle.resolve(VOLUME), volume);
        Manifest m = ManifestCodec.read(Files.readAllBytes(bundle.resolve(BundleLayout.MANIFEST)));
        List<Volume> volumes = new ArrayList<>(m.volumes());
        volumes.set(0, new Volume(BundleLayout.volumeName(1), volume.length, TestBundles.sha256Hex(volume)));
        byte[] manifest = ManifestCodec.write(Manifest.of(m.header(), volumes, m.entries()));
        Files.write(bundle.resolve(BundleLayout.MANIFEST), manifest);
        Files.writeString(bundle.resolve(BundleLayout.SIGNATURES_DIR)
                        .resolve(BundleLayout.signatureFileName(ALICE.fingerprint())),
                DetachedSignatures.sign(SigningKey.parse(ALICE.armoredSecretKey(), null), manifest));
    }

    /** Sets the ustar name field of the header at {@code header} and its checksum. */
    private static void rename(byte[] volume, int header, String name) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        Arrays.fill(volume, header, header + TarConstants.NAMELEN, (byte) 0);
        System.arraycopy(n, 0, volume, header, n.length);
        Arrays.fill(volume, header + 148, header + 156, (byte) ' ');
        long sum = 0;
        for (int i = 0; i < 512; i++) {
            sum += volume[header + i] & 0xff;
        }
        byte[] field = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(field, 0, volume, header + 148, 8);
    }

    /** {@code volume} with a member inserted where its end-of-archive records start. */
    private static byte[] append(byte[] volume, TarArchiveEntry e, byte[] data) throws Exception {
        ByteArrayOutputStream member = new ByteArrayOutputStream();
        @SuppressWarnings("resource") // finishing would write end-of-archive records; the volume has its own
        TarArchiveOutputStream t = new TarArchiveOutputStream(member, 512);
        t.putArchiveEntry(e);
        t.write(data);
        t.closeArchiveEntry();
        t.flush();
        int at = (int) end(volume);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(volume, 0, at);
        out.write(member.toByteArray());
        out.write(volume, at, volume.length - at);
        return out.toByteArray();
    }

    /** Offset of the first end-of-archive record: headers are walked by their size fields (pax headers included). */
    private static long end(byte[] volume) {
        int pos = 0;
        while (pos + 512 <= volume.length) {
            boolean zero = true;
            for (int i = 0; i < 512 && zero; i++) {
                zero = volume[pos + i] == 0;
            }
            if (zero) {
                return pos;
            }
            String size = new String(volume, pos + 124, 11, StandardCharsets.US_ASCII).trim();
            long bytes = Long.parseLong(size, 8);
            pos += 512 + (int) ((bytes + 511) / 512 * 512);
        }
        throw new IllegalStateException("no end-of-archive record");
    }
}
