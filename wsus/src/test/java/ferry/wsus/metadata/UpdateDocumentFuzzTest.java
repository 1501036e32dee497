package ferry.wsus.metadata;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Fuzzes the update-metadata parser with arbitrary documents. The only outcomes allowed: an update document whose
 * identity, title and files can be read (and whose text is the input, unchanged), or {@link MetadataException}
 * with a message; anything else is a finding. Seeds: {@code UpdateDocumentFuzzTestInputs/document/}, the update
 * documents recorded from a real WSUS ({@code wsus-real/docs/}).
 */
class UpdateDocumentFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void document(byte[] bytes) {
        String xml = new String(bytes, StandardCharsets.UTF_8);
        try {
            UpdateDocument doc = UpdateDocument.parse(xml);
            assertEquals(xml, doc.xml());
            assertNotNull(doc.identity());
            assertNotNull(doc.updateType());
            assertNotNull(doc.title());
            assertNotNull(doc.files());
            doc.toString();
        } catch (MetadataException refused) {
            assertNotNull(refused.getMessage());
            assertFalse(refused.getMessage().isBlank());
        }
    }
}
