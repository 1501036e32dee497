package ferry.wsus.wusp;

import ferry.format.trust.TrustPolicy;
import ferry.store.ImportRecord;
import ferry.store.Store;
import ferry.verifier.ChannelPolicy;
import ferry.wsus.Fixtures;
import ferry.wsus.catalog.RevisionRecord;
import ferry.wsus.catalog.WsusCatalogWrite;
import ferry.wsus.catalog.WsusTables;
import ferry.wsus.metadata.UpdateDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The clients' scope follows the store's imports and parses only the update documents an import brought: a stored
 * document never changes, so what the previous snapshot read of it is reused (a catalog of hundreds of thousands of
 * updates must not be parsed again after every small import).
 */
class ClientScopeTest {
    private static final ChannelPolicy POLICY = new ChannelPolicy(TrustPolicy.DEFAULT_MAX_SEQUENCE_JUMP);

    @TempDir
    Path dir;

    @Test
    void afterAnImportOnlyTheNewDocumentsAreParsed() throws Exception {
        try (Store store = Store.open(dir, List.of(WsusTables.INSTANCE))) {
            ClientScope scope = new ClientScope(store);
            importDocs(store, 1, Fixtures.DOC_NAMES[0], Fixtures.DOC_NAMES[1]);
            ClientScope.Snapshot first = scope.current();
            assertEquals(2, scope.documentsParsed());
            assertSame(first, scope.current(), "nothing imported: the same snapshot");
            assertEquals(2, scope.documentsParsed());

            importDocs(store, 2, Fixtures.DOC_NAMES[2]);
            ClientScope.Snapshot second = scope.current();
            assertEquals(3, scope.documentsParsed(), "only the new document is parsed");
            assertEquals(3, second.revisions().size());
            for (String name : List.of(Fixtures.DOC_NAMES[0], Fixtures.DOC_NAMES[1], Fixtures.DOC_NAMES[2])) {
                UpdateDocument doc = UpdateDocument.parse(new String(Fixtures.bytes("docs/" + name + ".xml"),
                        java.nio.charset.StandardCharsets.UTF_8));
                ClientScope.Entry e = second.byUpdate(doc.identity().updateId());
                assertNotNull(e, name);
                // what was reused is what parsing the document again gives
                assertEquals(doc.files(), e.files(), name);
                assertEquals(doc.bundledUpdates().stream().map(u -> u.updateId()).distinct().toList(),
                        e.bundledUpdateIds(), name);
            }
        }
    }

    private static void importDocs(Store store, long seq, String... names) throws Exception {
        List<RevisionRecord> revisions = new java.util.ArrayList<>();
        for (String name : names) {
            byte[] xml = Fixtures.bytes("docs/" + name + ".xml");
            UpdateDocument doc = UpdateDocument.parse(new String(xml, java.nio.charset.StandardCharsets.UTF_8));
            String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(xml));
            store.putObject(new ByteArrayInputStream(xml), sha256, xml.length);
            revisions.add(new RevisionRecord(doc.identity().updateId(), doc.identity().revisionNumber(), "Software", null, name, null,
                    sha256, List.of(), List.of(), List.of(), List.of(), List.of()));
        }
        store.commitImport(new ImportRecord<>("b" + seq, "wsus", seq, seq == 1 ? null : seq - 1,
                Instant.parse("2025-01-14T18:00:00Z"), HexFormat.of().formatHex(new byte[32]).replace('0', (char) ('0' + seq)),
                List.of("AB12CD34EF56AB12CD34EF56AB12CD34EF56AB12"), "ferry test",
                WsusCatalogWrite.of("b" + seq, revisions, List.of()), null), POLICY);
    }
}
