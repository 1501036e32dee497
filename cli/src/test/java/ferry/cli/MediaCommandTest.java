package ferry.cli;

import ferry.cli.InProcess.Result;
import ferry.format.trust.TrustStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static ferry.cli.InProcess.ferry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transfer procedure through the real commands: an export split over media, each medium verified alone, an
 * import told which medium is missing (exit 8) and then importing from all; a key rotation prepared with
 * {@code ferry keys rotate}, carried by {@code ferry export --trust-change} and applied by {@code ferry import}.
 */
class MediaCommandTest {
    @TempDir
    Path dir;
    private ConnectedSide side;

    @BeforeEach
    void start() throws Exception {
        side = ConnectedSide.start(dir, "a <a@ferry.invalid>");
    }

    @AfterEach
    void stop() throws Exception {
        side.close();
    }

    @Test
    void anExportOverMediaVerifiesPerMediumAndImportsFromAll() throws Exception {
        Path out = dir.resolve("out");
        Result e = ferry("export", "--upstream", side.upstream().uri().toString(), "--channel", "contoso", "--state",
                dir.resolve("state").toString(), "--key", side.keys().resolve("signer.sec.asc").toString(), "--out", out.toString(),
                "--quiet", "--product", "Contoso Widget", "--volume-size", "64KiB", "--media-size", "1216KiB");
        assertEquals(0, e.code, e.err);
        List<Path> media = new ArrayList<>();
        try (var ds = Files.newDirectoryStream(out)) {
            ds.forEach(media::add);
        }
        media.sort(null);
        assertTrue(media.size() >= 3, "issue 9: at least three media: " + media);
        for (int i = 0; i < media.size(); i++) {
            Result v = ferry("verify", "--medium", media.get(i).toString(), "--trust-store", side.trust().toString(), "--quiet");
            assertEquals(0, v.code, v.out + v.err);
            assertTrue(v.out.startsWith("OK: medium " + (i + 1) + " of " + media.size() + " verified"), v.out);
            assertTrue(v.out.contains("Good:"), v.out);
            assertTrue(v.out.contains("Elsewhere:"), v.out);
        }
        Path store = dir.resolve("store");
        List<String> args = new ArrayList<>(List.of("import", "--store", store.toString(), "--trust-store", side.trust().toString(), "--quiet"));
        for (Path m : media.subList(1, media.size())) {
            args.add("--from");
            args.add(m.toString());
        }
        Result missing = ferry(args.toArray(String[]::new));
        assertEquals(ExitCodes.INCOMPLETE, missing.code, missing.err);
        assertTrue(missing.err.contains("insert medium 1 of " + media.size() + " (volume-0001.tar"), missing.err);
        assertFalse(Files.exists(store.resolve("catalog.mv.db")), "a store was created for an incomplete bundle");
        args.add("--from");
        args.add(media.get(0).toString());
        Result ok = ferry(args.toArray(String[]::new));
        assertEquals(0, ok.code, ok.err);
        assertTrue(ok.out.startsWith("Imported: "), ok.out);
    }

    @Test
    void aRotationPreparedOnTheConnectedSideIsAppliedByTheImport() throws Exception {
        Path b = dir.resolve("b");
        Path c = dir.resolve("c");
        assertEquals(0, ferry("keys", "generate", "--out", b.toString(), "--user-id", "b <b@ferry.invalid>").code);
        assertEquals(0, ferry("keys", "generate", "--out", c.toString(), "--user-id", "c <c@ferry.invalid>").code);
        Path rotation = dir.resolve("rotation");
        Result r = ferry("keys", "rotate", "--out", rotation.toString(), "--policy-version", "2",
                "--new-key", b.resolve("signer.pub.asc").toString(), "--new-key", c.resolve("signer.pub.asc").toString(),
                "--threshold", "2", "--key", side.keys().resolve("signer.sec.asc").toString(), "--key", b.resolve("signer.sec.asc").toString());
        assertEquals(0, r.code, r.err);
        // Carol signs later, with her own key only
        r = ferry("keys", "rotate", "--out", rotation.toString(), "--add-signature", "--key", c.resolve("signer.sec.asc").toString());
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("signed by "), r.out);

        Path bundle = dir.resolve("bundle");
        Result e = ferry("export", "--upstream", side.upstream().uri().toString(), "--channel", "defender", "--state",
                dir.resolve("state").toString(), "--key", side.keys().resolve("signer.sec.asc").toString(), "--out", bundle.toString(),
                "--quiet", "--product", "Microsoft Defender Antivirus", "--metadata-only", "--trust-change", rotation.toString());
        assertEquals(0, e.code, e.err);
        Result v = ferry("verify", bundle.toString(), "--trust-store", side.trust().toString(), "--quiet");
        assertEquals(0, v.code, v.out);
        assertTrue(v.out.contains("trust policy change to version 2"), v.out);
        Result i = ferry("import", bundle.toString(), "--store", dir.resolve("store").toString(), "--trust-store",
                side.trust().toString(), "--quiet");
        assertEquals(0, i.code, i.err);
        assertTrue(i.out.contains("trust store now at policy version 2"), i.out);
        TrustStore now = TrustStore.load(side.trust());
        assertEquals(2, now.version());
        assertEquals(2, now.threshold());
        assertEquals(2, now.keys().size());
    }

    @Test
    void anExpiredBundleIsRefusedUnlessAllowedAndTheAuditLogRecordsTheOverride() throws Exception {
        Path bundle = dir.resolve("bundle");
        Result e = ferry("export", "--upstream", side.upstream().uri().toString(), "--channel", "defender", "--state",
                dir.resolve("state").toString(), "--key", side.keys().resolve("signer.sec.asc").toString(), "--out", bundle.toString(),
                "--quiet", "--product", "Microsoft Defender Antivirus", "--metadata-only", "--expires-in", "1s");
        assertEquals(0, e.code, e.err);
        Thread.sleep(2100);
        Path store = dir.resolve("store");
        Result refused = ferry("import", bundle.toString(), "--store", store.toString(), "--trust-store", side.trust().toString(), "--quiet");
        assertEquals(ExitCodes.INVALID_BUNDLE, refused.code);
        assertTrue(refused.err.contains("expired"), refused.err);
        Result allowed = ferry("import", bundle.toString(), "--store", store.toString(), "--trust-store", side.trust().toString(),
                "--quiet", "--allow-expired");
        assertEquals(0, allowed.code, allowed.err);
        assertTrue(allowed.out.contains("overrides: allow-expired: the bundle expired at"), allowed.out);
        List<String> audit = Files.readAllLines(store.resolve(ferry.format.audit.AuditLog.FILE_NAME));
        String last = audit.get(audit.size() - 1);
        assertTrue(last.contains("--allow-expired") && last.contains("the bundle expired at"), last);
    }
}
