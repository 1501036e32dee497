package ferry.samples;

import ferry.wsus.UpdateIdentity;
import ferry.wsus.client.RevisionFilter;
import ferry.wsus.client.ServerSyncSession;
import ferry.wsus.client.SyncedUpdate;
import ferry.wsus.client.WsusClient;
import ferry.wsus.client.WsusClientOptions;
import ferry.wsus.metadata.UpdateDocument;
import ferry.wsus.metadata.UpdateFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleUpstreamTest {

    @TempDir
    Path dir;

    @Test
    void realDocumentsAreServedUnaltered() throws Exception {
        SampleCatalog catalog = SampleCatalog.create(dir);
        for (String name : SampleCatalog.REAL_DOCUMENTS) {
            String original = new String(getClass().getResourceAsStream("wsus-real/" + name).readAllBytes(), StandardCharsets.UTF_8);
            String id = name.substring(0, 36);
            int rev = Integer.parseInt(name.substring(38, name.length() - 4));
            assertEquals(original, catalog.metadata(new UpdateIdentity(id, rev)).orElseThrow(), name);
        }
    }

    @Test
    void catalogIsClosedUnderPrerequisitesAndCategories() {
        SampleCatalog catalog = SampleCatalog.create(dir);
        Set<String> ids = catalog.documents().stream().map(d -> d.identity().updateId()).collect(Collectors.toSet());
        for (UpdateDocument doc : catalog.documents()) {
            for (var group : doc.prerequisiteGroups()) {
                for (String id : group.updateIds()) {
                    assertTrue(ids.contains(id), doc.identity() + " names prerequisite " + id + " which the catalog lacks");
                }
            }
            doc.requiredPrerequisites().forEach(id -> assertTrue(ids.contains(id), doc.identity() + " needs " + id));
        }
    }

    @Test
    void generatedFilesHaveTheDigestsTheMetadataNames() throws Exception {
        SampleCatalog catalog = SampleCatalog.create(dir);
        int files = 0;
        for (UpdateDocument doc : catalog.documents()) {
            for (UpdateFile f : doc.files()) {
                if (!doc.title().contains("Contoso")) {
                    continue;
                }
                Path p = catalog.resolve(ferry.wsus.ContentUrls.sha1Hex(f.sha1Base64())).orElseThrow();
                byte[] bytes = Files.readAllBytes(p);
                assertEquals(f.size(), bytes.length);
                assertEquals(f.sha1Base64(), Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(bytes)));
                assertEquals(f.sha256Base64(), Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes)));
                files++;
            }
        }
        assertEquals(SyntheticUpdates.files().size(), files);
        // Regeneration is deterministic: a second catalog in a new directory names the same digests.
        Path other = Files.createDirectory(dir.resolve("again"));
        List<String> first = catalog.documents().stream().map(UpdateDocument::xml).toList();
        List<String> second = SampleCatalog.create(other).documents().stream().map(UpdateDocument::xml).toList();
        assertEquals(first, second);
    }

    @Test
    void upstreamAnswersASynchronizationAndServesContent() throws Exception {
        try (SampleUpstream upstream = SampleUpstream.start(dir, "127.0.0.1", 0)) {
            ServerSyncSession session = new WsusClient(upstream.uri(), WsusClientOptions.defaults()).open();
            List<UpdateIdentity> config = session.getRevisionIdList(true, RevisionFilter.everything()).newRevisions();
            assertTrue(config.contains(new UpdateIdentity(SyntheticUpdates.CONTOSO_WIDGET, 100)));
            assertTrue(config.contains(new UpdateIdentity("56309036-4c77-4dd9-951a-99ee9c246a94", 101)));

            var selected = session.getRevisionIdList(false, RevisionFilter.full(
                    List.of(SyntheticUpdates.CONTOSO_WIDGET), List.of(SyntheticUpdates.SECURITY_UPDATES))).newRevisions();
            assertEquals(Set.of(new UpdateIdentity(SyntheticUpdates.KB5000101, 100), new UpdateIdentity(SyntheticUpdates.KB5000102, 101)),
                    new HashSet<>(selected));

            List<SyncedUpdate> data = session.getUpdateData(selected);
            assertEquals(2, data.size());
            for (SyncedUpdate u : data) {
                assertEquals(upstream.catalog().metadata(u.identity()).orElseThrow(), u.xml());
            }

            UpdateFile file = UpdateDocument.parse(data.get(0).xml()).files().get(0);
            URI content = upstream.uri().resolve(SampleCatalog.contentPath(file).substring(1));
            HttpResponse<InputStream> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(content).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readAllBytes();
            }
            assertEquals(file.sha1Base64(), Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(body)));
        }
    }

    @Test
    void addedRevisionsMoveTheAnchor() throws Exception {
        SampleCatalog catalog = SampleCatalog.create(dir);
        String anchor = catalog.anchor();
        assertTrue(catalog.revisions(false, Set.of(), Set.of(), anchor).isEmpty());
        String republished = catalog.metadata(new UpdateIdentity(SyntheticUpdates.KB5000102, 101)).orElseThrow()
                .replace("RevisionNumber=\"101\"", "RevisionNumber=\"102\"");
        UpdateIdentity added = catalog.add(republished);
        assertEquals(List.of(added), catalog.revisions(false, Set.of(), Set.of(), anchor));
        assertFalse(anchor.equals(catalog.anchor()));
    }
}
