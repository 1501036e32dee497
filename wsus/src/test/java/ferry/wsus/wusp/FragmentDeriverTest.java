package ferry.wsus.wusp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ferry.wsus.metadata.MetadataException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fragments ferry derives against the fragments a real Windows Server 2025 WSUS sent a real Windows Update
 * Agent for the same update documents (test resources {@code wusp-real/}, {@code wsus-real/docs/}): byte for byte.
 */
class FragmentDeriverTest {
    private static final Pattern XML = Pattern.compile("<ID>(\\d+)</ID>.*?<Xml>(.*?)</Xml>", Pattern.DOTALL);
    private static final Pattern IDENTITY =
            Pattern.compile("^<UpdateIdentity UpdateID=\"([^\"]+)\" RevisionNumber=\"(\\d+)\"");

    @ParameterizedTest
    @ValueSource(strings = {"1f9bd9bb-7390-4aa3-bbdb-ded99fac2583-r200", "266f6222-c89d-43f2-9f8a-69340271e677-r200",
            "56309036-4c77-4dd9-951a-99ee9c246a94-r101", "7366a74a-ef29-44e1-b738-570b516aca1f-r200"})
    void theFourRecordedFragmentSetsAreReproducedByteForByte(String revision) throws Exception {
        Fragments f = FragmentDeriver.derive(document(revision));
        int compared = 0;
        String core = resourceOrNull("/wusp-real/fragments/" + revision + ".core.xml");
        String extended = resourceOrNull("/wusp-real/fragments/" + revision + ".extended.xml");
        String english = resourceOrNull("/wusp-real/fragments/" + revision + ".localized-en.xml");
        if (core != null) {
            assertEquals(core, f.core(), revision + " core");
            compared++;
        }
        if (extended != null) {
            assertEquals(extended, f.extended(), revision + " extended");
            compared++;
        }
        if (english != null) {
            assertEquals(english, f.localized("en").orElseThrow().xml(), revision + " localized en");
            compared++;
        }
        assertTrue(compared >= 1, "no recorded fragment for " + revision);
    }

    /**
     * Every Core fragment in the recorded SyncUpdates answers whose document we hold, and the Extended and
     * LocalizedProperties fragments of the recorded GetExtendedUpdateInfo answer for the revisions the scan's
     * SyncUpdates answers named (server-local revision id to update identity).
     */
    @Test
    void fragmentsInRecordedAnswersAreReproduced() throws Exception {
        Map<String, String> identityOfId = new HashMap<>();
        int cores = 0;
        for (String exchange : List.of("flow-000003", "flow-000013", "scan-000006", "scan-000007", "scan-000008")) {
            Matcher m = XML.matcher(resource("/wusp-real/responses/" + exchange + ".response.xml"));
            while (m.find()) {
                String fragment = unescape(m.group(2));
                Matcher id = IDENTITY.matcher(fragment);
                assertTrue(id.find(), exchange + ": core fragment without UpdateIdentity");
                String revision = id.group(1).toLowerCase() + "-r" + id.group(2);
                identityOfId.put(m.group(1), revision);
                byte[] doc = documentOrNull(revision);
                if (doc != null) {
                    assertEquals(fragment, FragmentDeriver.derive(doc).core(), exchange + " core of " + revision);
                    cores++;
                }
            }
        }
        assertEquals(7, cores, "core fragments compared");

        int others = 0;
        Matcher m = XML.matcher(resource("/wusp-real/responses/scan-000010.response.xml"));
        while (m.find()) {
            String revision = identityOfId.get(m.group(1));
            String fragment = unescape(m.group(2));
            if (revision == null || documentOrNull(revision) == null) {
                continue;
            }
            Fragments f = FragmentDeriver.derive(document(revision));
            if (fragment.startsWith("<ExtendedProperties")) {
                assertEquals(fragment, f.extended(), "extended of " + revision);
            } else {
                assertTrue(fragment.startsWith("<LocalizedProperties><Language>en</Language>"), fragment);
                assertEquals(fragment, f.localized("en").orElseThrow().xml(), "localized en of " + revision);
            }
            others++;
        }
        assertEquals(6, others, "extended and localized fragments compared");
    }

    @Test
    void everyLanguageGetsItsOwnLocalizedFragment() throws Exception {
        Fragments f = FragmentDeriver.derive(document("56309036-4c77-4dd9-951a-99ee9c246a94-r101"));
        assertTrue(f.localized().size() > 20, "languages: " + f.localized().size());
        assertEquals("<LocalizedProperties><Language>de</Language><Title>Microsoft</Title>"
                + "<Description>Microsoft</Description></LocalizedProperties>", f.localized("de").orElseThrow().xml());
        assertTrue(f.eulas().isEmpty());
    }

    @Test
    void scanAttributesAreKeptInCoreAndDefaultsDropped() throws Exception {
        String doc = "<upd:Update xmlns:upd=\"http://schemas.microsoft.com/msus/2002/12/Update\""
                + " xmlns:msi=\"http://schemas.microsoft.com/msus/2002/12/MsiApplicabilityRules\""
                + " xmlns:drv=\"http://schemas.microsoft.com/msus/2002/12/UpdateHandlers/WindowsDriver\">"
                + "<upd:UpdateIdentity UpdateID=\"00000000-0000-0000-0000-000000000001\" RevisionNumber=\"5\" />"
                + "<upd:Properties EulaID=\"e1\" PerUser=\"false\" AutoSelectOnWebSites=\"true\" UpdateType=\"Driver\""
                + " ExplicitlyDeployable=\"false\" OSUpgrade=\"false\" CreationDate=\"2026-01-01T00:00:00Z\""
                + " Handler=\"h\">\n  <upd:InstallationBehavior RebootBehavior=\"CanRequestReboot\" />\n</upd:Properties>"
                + "<upd:ApplicabilityRules><upd:IsInstalled><msi:Product Code=\"a&amp;b\" /></upd:IsInstalled>"
                + "<upd:Metadata><drv:WindowsDriverMetaData HardwareID=\"pci\\x\" /></upd:Metadata></upd:ApplicabilityRules>"
                + "<upd:LocalizedPropertiesCollection><upd:EulaFile Language=\"fr\" GeoId=\"FRA\" FileDigest=\"x\" />"
                + "</upd:LocalizedPropertiesCollection></upd:Update>";
        Fragments f = FragmentDeriver.derive(doc.getBytes(StandardCharsets.UTF_8));
        assertEquals("<UpdateIdentity UpdateID=\"00000000-0000-0000-0000-000000000001\" RevisionNumber=\"5\" />"
                + "<Properties UpdateType=\"Driver\" AutoSelectOnWebSites=\"true\" EulaID=\"e1\" />"
                + "<ApplicabilityRules><IsInstalled><m.Product Code=\"a&amp;b\" /></IsInstalled>"
                + "<Metadata><d.WindowsDriverMetaData HardwareID=\"pci\\x\" /></Metadata></ApplicabilityRules>", f.core());
        assertEquals("<ExtendedProperties Handler=\"h\"><InstallationBehavior RebootBehavior=\"CanRequestReboot\" />"
                + "</ExtendedProperties>", f.extended());
        assertEquals(List.of(new Fragments.Eula("fr", "FRA", "<EulaFile Language=\"fr\" GeoId=\"FRA\" FileDigest=\"x\" />")),
                f.eulas());
        assertTrue(f.localized().isEmpty());
    }

    @Test
    void hostileOrIncompleteDocumentsAreRefused() {
        String entity = "<?xml version=\"1.0\"?><!DOCTYPE u [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<Update><UpdateIdentity UpdateID=\"&e;\" RevisionNumber=\"1\" /><Properties /></Update>";
        MetadataException e = assertThrows(MetadataException.class,
                () -> FragmentDeriver.derive(entity.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("update metadata: malformed or refused XML"), e.getMessage());
        assertThrows(MetadataException.class, () -> FragmentDeriver.derive("<Update><Properties /></Update>"
                .getBytes(StandardCharsets.UTF_8)));
        assertThrows(MetadataException.class, () -> FragmentDeriver.derive("<Other />".getBytes(StandardCharsets.UTF_8)));
        assertThrows(MetadataException.class, () -> FragmentDeriver.derive("<Update>".getBytes(StandardCharsets.UTF_8)));
        StringBuilder deep = new StringBuilder("<Update>");
        deep.append("<a>".repeat(500)).append("</a>".repeat(500)).append("</Update>");
        assertThrows(MetadataException.class, () -> FragmentDeriver.derive(deep.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&");
    }

    private static byte[] document(String revision) throws IOException {
        byte[] doc = documentOrNull(revision);
        if (doc == null) {
            throw new IOException("no document for " + revision);
        }
        return doc;
    }

    private static byte[] documentOrNull(String revision) throws IOException {
        try (InputStream in = FragmentDeriverTest.class.getResourceAsStream("/wsus-real/docs/" + revision + ".xml")) {
            return in == null ? null : in.readAllBytes();
        }
    }

    private static String resource(String path) throws IOException {
        String s = resourceOrNull(path);
        if (s == null) {
            throw new IOException("missing test resource " + path);
        }
        return s;
    }

    private static String resourceOrNull(String path) throws IOException {
        try (InputStream in = FragmentDeriverTest.class.getResourceAsStream(path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
