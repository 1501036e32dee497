package ferry.cli;

import ferry.cli.InProcess.Result;
import ferry.format.trust.TrustPolicy;
import ferry.verifier.ChannelPolicy;

import static ferry.cli.InProcess.ferry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import ferry.importer.ImportFailedException;
import ferry.importer.NoSpaceException;
import ferry.store.ImportRecord;
import ferry.store.PendingImport;
import ferry.store.Store;
import ferry.store.StoreFullException;
import ferry.importer.Importer;
import ferry.wsus.catalog.FileRecord;
import ferry.wsus.catalog.RevisionRecord;
import ferry.wsus.catalog.WsusCatalogWrite;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ferry store check} and the exit codes of store failures. */
class StoreCommandTest {
    private static final String UPDATE = "11111111-1111-1111-1111-111111111111";

    @TempDir
    Path dir;



    /** A store with one bundle: one update whose metadata and one file are objects. Returns the file's SHA-256. */
    private String store(Path storeDir) throws Exception {
        try (Store store = Store.open(storeDir, Importer.catalogs()); PendingImport imp = store.beginImport()) {
            String md = put(imp, "<Update/>");
            String file = put(imp, "update file");
            byte[] fileBytes = "update file".getBytes(StandardCharsets.UTF_8);
            String sha1 = HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1").digest(fileBytes));
            imp.commit(new ImportRecord<>("b1", "wsus", 1, null, Instant.parse("2025-01-14T18:00:00Z"), md,
                    List.of("AB12"), "test", WsusCatalogWrite.of("b1", List.of(new RevisionRecord(UPDATE, 1, "Software",
                    null, "t", null, md, List.of(), List.of(), List.of(), List.of(), List.of(sha1))),
                    List.of(new FileRecord(sha1, file, fileBytes.length, "f.cab", null))), null),
                    new ChannelPolicy(TrustPolicy.DEFAULT_MAX_SEQUENCE_JUMP));
            return file;
        }
    }

    private static String put(PendingImport imp, String text) throws Exception {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        imp.putObject(new ByteArrayInputStream(b), hex, b.length);
        return hex;
    }

    @Test
    void aConsistentStoreExitsZero() throws Exception {
        Path storeDir = dir.resolve("store");
        store(storeDir);
        Result r = ferry("store", "check", "--store", storeDir.toString(), "--rehash", "--quiet");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().startsWith("Store " + storeDir.toAbsolutePath() + ": consistent; 2 object(s)"), r.out());

        Result json = ferry("store", "check", "--store", storeDir.toString(), "--json");
        JsonNode n = Output.JSON.readTree(json.out());
        assertTrue(n.get("consistent").asBoolean());
        assertEquals(2, n.get("report").get("objects").asInt());
    }

    @Test
    void aDamagedObjectExitsOneAndIsNamed() throws Exception {
        Path storeDir = dir.resolve("store");
        String file = store(storeDir);
        Path object = storeDir.resolve("objects/sha256").resolve(file.substring(0, 2)).resolve(file);
        Files.writeString(object, "update fila");
        Result r = ferry("store", "check", "--store", storeDir.toString(), "--rehash", "--json");
        assertEquals(StoreCommand.PROBLEMS_FOUND, r.code(), r.err());
        JsonNode n = Output.JSON.readTree(r.out());
        assertFalse(n.get("consistent").asBoolean());
        assertEquals(file, n.get("report").get("damaged").get(0).get("sha256").asText());
        assertFalse(Files.exists(object), "quarantined");
        Result again = ferry("store", "check", "--store", storeDir.toString());
        assertEquals(StoreCommand.PROBLEMS_FOUND, again.code());
        assertTrue(again.out().contains("missing       " + file + "  damaged, in quarantine/; update file f.cab"),
                again.out());
    }

    @Test
    void aLostCatalogExitsOneWithWhatToDo() throws Exception {
        Path storeDir = dir.resolve("store");
        store(storeDir);
        Files.delete(storeDir.resolve("catalog.mv.db"));
        Result r = ferry("store", "check", "--store", storeDir.toString());
        assertEquals(StoreCommand.PROBLEMS_FOUND, r.code());
        assertTrue(r.err().contains("catalog.mv.db is missing") && r.err().contains("docs/store.md"), r.err());
        assertFalse(Files.exists(storeDir.resolve("catalog.mv.db")), "no new catalog");
    }

    @Test
    void noStoreThereIsAUsageErrorAndCreatesNothing() {
        Path nowhere = dir.resolve("nowhere");
        Result r = ferry("store", "check", "--store", nowhere.toString());
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("no store at " + nowhere), r.err());
        assertFalse(Files.exists(nowhere));
    }

    @Test
    void helpIsCleanAndListedUnderFerry() {
        Result help = ferry("store", "check", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--rehash") && help.out().contains("1 problems found"), help.out());
        assertEquals("", help.err());
        assertTrue(ferry("--help").out().contains("store"));
    }

    @Test
    void aFullDiskIsExitCodeSixHoweverItIsWrapped() {
        StoreFullException full = new StoreFullException(dir, 100, 10, "object x", null);
        assertEquals("no space left on " + dir + ": needed 100 bytes, free 10 bytes (object x)", full.getMessage());
        assertEquals(ExitCodes.NO_SPACE, Errors.exitCode(full));
        assertEquals(ExitCodes.NO_SPACE, Errors.exitCode(new CliException(ExitCodes.INTERNAL, "import failed",
                new ImportFailedException("import failed", full))));
        assertEquals(ExitCodes.NO_SPACE, Errors.exitCode(new NoSpaceException(dir, 100, 10, full)));
        assertFalse(Errors.oneLine(full).contains("bug"), "not reported as a bug");
    }
}
