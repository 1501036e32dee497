package ferry.exporter;

import com.fasterxml.jackson.databind.JsonNode;
import ferry.format.BundleReader;
import ferry.format.Progress;
import ferry.wsus.UpdateIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static ferry.exporter.TestDocs.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The recorded Microsoft documents: KB2267602 bundles 124 updates of which the recording holds three, so the
 * upstream faults (InternalServerError, as a real WSUS does) for the others and the export must isolate them.
 * Documents over 5,120 UTF-16 bytes travel CAB-compressed, so this also checks the bytes survive that path.
 */
class RealDocumentsExportTest {

    static final String KB2267602 = "a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe";

    @TempDir
    Path tmp;
    Fixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = Fixture.realDefender(tmp);
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    @Test
    void bundleWithUnrecordedMembersIsExportedWithWarnings() throws Exception {
        ExportResult r = ExportJob.run(fx.options("bundle").products("Microsoft Defender Antivirus")
                .classifications("Definition Updates").mode(ExportMode.METADATA_ONLY).build(), Progress.NONE);

        assertTrue(r.bundleWritten());
        assertEquals(5, Fixture.wsus(r).revisions().listed(),
                "KB2267602 names its categories with IsCategory groups; the server lists its 4 recorded bundled updates with it");

        Set<String> expected = new HashSet<>();
        for (String name : List.of("a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe-r200", "ccb78947-6453-4ecc-9de8-bc0305c98f2d-r200",
                "1f9bd9bb-7390-4aa3-bbdb-ded99fac2583-r200", "266f6222-c89d-43f2-9f8a-69340271e677-r200",
                "ff36f0b5-dded-4780-8664-cd78af8b62c1-r200", "6964aab4-c5b5-43bd-a17d-ffb4346a8e1d-r100",
                "56309036-4c77-4dd9-951a-99ee9c246a94-r101")) {
            expected.add(Fixture.metadataPath(id(name)));
        }
        expected.add(Fixture.metadataPath(new UpdateIdentity(DEFENDER_PRODUCT, 200)));
        expected.add(Fixture.metadataPath(new UpdateIdentity(DEFINITION_UPDATES, 200)));
        DEFENDER_DETECTOIDS.forEach(d -> expected.add(Fixture.metadataPath(new UpdateIdentity(d, 200))));

        Map<String, byte[]> entries = Fixture.read(tmp.resolve("bundle"));
        assertEquals(expected, entries.keySet());
        for (String name : Fixture.REAL_DOCS) {
            String path = Fixture.metadataPath(id(name));
            if (entries.containsKey(path)) {
                assertArrayEquals(Fixture.realDoc(name).getBytes(StandardCharsets.UTF_8), entries.get(path), name);
            }
        }

        // 121 members of KB2267602, 23 of 1f9bd9bb, 4 of ccb78947 were never recorded
        assertEquals(148, Fixture.wsus(r).unresolvedReferences().size());
        assertTrue(Fixture.wsus(r).unresolvedReferences().stream().allMatch(u -> u.relation().equals("bundled")
                && u.revisionNumber() != null));
        assertEquals(121, Fixture.wsus(r).unresolvedReferences().stream()
                .filter(u -> (KB2267602 + "-r200").equals(u.referencedBy())).count());
        JsonNode listed = BundleReader.open(tmp.resolve("bundle")).manifest().selection().get("unresolvedReferences");
        assertEquals(148, listed.size());
        assertEquals("bundled", listed.get(0).get("relation").asText());
        assertEquals(148, BundleReader.open(tmp.resolve("bundle")).manifest().selection()
                .get("counts").get("unresolvedReferences").asLong());
        assertTrue(r.warnings().stream().anyMatch(w -> w.startsWith("148 reference(s) could not be followed")),
                r.warnings().toString());
    }

    private static UpdateIdentity id(String name) {
        int r = name.lastIndexOf("-r");
        return new UpdateIdentity(name.substring(0, r), Integer.parseInt(name.substring(r + 2)));
    }
}
