package ferry.wsus.metadata;

import ferry.wsus.Fixtures;
import ferry.wsus.UpdateIdentity;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UpdateDocumentTest {

    private static final String DEFINITION_UPDATES = "e0789628-ce08-4437-be74-2495b842f43b";
    private static final String DEFENDER_PRODUCT = "8c3fcc84-7410-4a95-8b89-a166a0190486";

    @Test
    void allNineRealDocumentsParseAndKeepTheirText() throws Exception {
        for (String name : Fixtures.DOC_NAMES) {
            String xml = Fixtures.doc(name);
            UpdateDocument doc = UpdateDocument.parse(xml);
            assertEquals(name, doc.identity().toString());
            assertSame(xml, doc.xml());
            assertFalse(doc.title().isEmpty(), name);
        }
    }

    @Test
    void leafUpdateWithOneFile() throws Exception {
        UpdateDocument doc = UpdateDocument.parse(Fixtures.doc("266f6222-c89d-43f2-9f8a-69340271e677-r200"));
        assertEquals(new UpdateIdentity("266f6222-c89d-43f2-9f8a-69340271e677", 200), doc.identity());
        assertEquals(UpdateType.SOFTWARE, doc.updateType());
        assertTrue(doc.categoryType().isEmpty());
        assertEquals("Full Deltas 1.459.547.0 for Defender amd64fre [Ring0, Ring1, Ring2, Ring3, Ring4, Broad, Delayed]",
                doc.title());
        assertEquals(List.of(new UpdateFile("AM_Delta.exe", 11606440L, "h/W9BGlYUAaqXTp30cZi/SiV3c0=",
                "Amt0qymy5KsROiwIXm4QIIV75Ju4r+Cl28Pg8gaLXUA=", "2026-10-04T09:39:26Z")), doc.files());
        assertEquals(List.of("be4048db-157c-4532-9582-7f05099590c9", "59653007-e2e9-4f71-8525-2ff588527978",
                "0aac58ee-82a0-4452-a7fa-19f68398f1fa"), doc.requiredPrerequisites());
        assertEquals(List.of(new PrerequisiteGroup(List.of(DEFENDER_PRODUCT), false)), doc.prerequisiteGroups());
        assertEquals(List.of(), doc.categoryIds(), "the group has no IsCategory attribute");
        assertTrue(doc.kbArticleId().isEmpty());
        assertTrue(doc.bundledUpdates().isEmpty());
    }

    @Test
    void bundleWithKbSupersededAndCategories() throws Exception {
        UpdateDocument doc = UpdateDocument.parse(Fixtures.doc("a2fef9b0-7951-4c2c-a42b-9e351dd1c1fe-r200"));
        assertEquals(UpdateType.SOFTWARE, doc.updateType());
        assertEquals("2267602", doc.kbArticleId().orElseThrow());
        assertTrue(doc.msrcNumber().isEmpty());
        assertEquals("Security Intelligence Update for Microsoft Defender Antivirus - KB2267602 (Version 1.459.547.0)"
                + " - Current Channel (Broad)", doc.title(), "the English title, not the first one");
        assertEquals(List.of(DEFINITION_UPDATES, DEFENDER_PRODUCT), doc.categoryIds());
        assertEquals(List.of("be4048db-157c-4532-9582-7f05099590c9", "0aac58ee-82a0-4452-a7fa-19f68398f1fa"),
                doc.requiredPrerequisites());
        assertEquals(new UpdateIdentity("90f961a9-1756-4493-aade-644c37589961", 200), doc.bundledUpdates().get(0));
        assertTrue(doc.bundledUpdates().contains(new UpdateIdentity("266f6222-c89d-43f2-9f8a-69340271e677", 200)));
        assertTrue(doc.bundledUpdates().stream().allMatch(u -> u.revisionNumber() == 200));
        assertEquals("ce84983e-b20e-44d7-a412-1fd91fc7bda8", doc.supersededUpdates().get(0));
        assertEquals(139 - 1, doc.bundledUpdates().size() + doc.supersededUpdates().size()
                + doc.requiredPrerequisites().size() + 2, "every UpdateIdentity but the document's own is kept");
        assertTrue(doc.files().isEmpty());
    }

    @Test
    void smallBundleHasFourMembers() throws Exception {
        UpdateDocument doc = UpdateDocument.parse(Fixtures.doc("ccb78947-6453-4ecc-9de8-bc0305c98f2d-r200"));
        assertEquals(4, doc.bundledUpdates().size());
        assertEquals(new UpdateIdentity("e052d9bd-e49c-4d6e-876e-005b49b89812", 200), doc.bundledUpdates().get(3));
        assertEquals(2, doc.prerequisiteGroups().size());
    }

    @Test
    void categoriesCarryTheirCategoryType() throws Exception {
        UpdateDocument company = UpdateDocument.parse(Fixtures.doc("56309036-4c77-4dd9-951a-99ee9c246a94-r101"));
        assertEquals(UpdateType.CATEGORY, company.updateType());
        assertEquals(CategoryType.COMPANY, company.categoryType().orElseThrow());
        assertEquals("56309036-4c77-4dd9-951a-99ee9c246a94", company.identity().updateId(), "upper case normalised");
        assertEquals("Microsoft", company.title());

        UpdateDocument family = UpdateDocument.parse(Fixtures.doc("6964aab4-c5b5-43bd-a17d-ffb4346a8e1d-r100"));
        assertEquals(CategoryType.PRODUCT_FAMILY, family.categoryType().orElseThrow());
        assertEquals("Windows", family.title());
        assertEquals(List.of("56309036-4c77-4dd9-951a-99ee9c246a94"), family.categoryIds());

        UpdateDocument product = UpdateDocument.parse(Fixtures.doc("dd78b8a1-0b20-45c1-add6-4da72e9364cf-r202"));
        assertEquals(CategoryType.PRODUCT, product.categoryType().orElseThrow());
        assertEquals("OOBE ZDP", product.title());
        assertEquals(List.of("6964aab4-c5b5-43bd-a17d-ffb4346a8e1d"), product.categoryIds());
    }

    @Test
    void engineUpdateFile() throws Exception {
        UpdateDocument doc = UpdateDocument.parse(Fixtures.doc("ff36f0b5-dded-4780-8664-cd78af8b62c1-r200"));
        UpdateFile f = doc.files().get(0);
        assertEquals("AM_Engine.exe", f.fileName());
        assertEquals(6662560L, f.size());
        assertEquals("vXidQqLgJwCO4+fE++5nIN1txMk=", f.sha1Base64());
        assertEquals("FX0fJz391BBQFKgKnFee7Set4FikM6ebvaIHkpuXY+c=", f.sha256Base64());
    }

    @Test
    void msrcAndOptionalSha256() throws Exception {
        String xml = doc("<upd:Properties UpdateType=\"Software\" MsrcSeverity=\"Critical\"><upd:KBArticleID>958644"
                + "</upd:KBArticleID><upd:SecurityBulletinID>MS08-067</upd:SecurityBulletinID></upd:Properties>"
                + "<upd:Files><upd:File Digest=\"h/W9BGlYUAaqXTp30cZi/SiV3c0=\" FileName=\"a.cab\" Size=\"5\"/></upd:Files>");
        UpdateDocument doc = UpdateDocument.parse(xml);
        assertEquals("MS08-067", doc.msrcNumber().orElseThrow());
        assertEquals("Critical", doc.msrcSeverity().orElseThrow());
        assertEquals("958644", doc.kbArticleId().orElseThrow());
        assertNull(doc.files().get(0).sha256Base64());
        assertNull(doc.files().get(0).modified());
        assertEquals("", doc.title());
    }

    @Test
    void errorsNameTheUpdateAndTheField() {
        assertMessage(doc("<upd:Properties UpdateType=\"Weird\"/>"), "update 266f6222-c89d-43f2-9f8a-69340271e677-r1: unknown Properties/@UpdateType");
        assertMessage(doc("<upd:Properties/>"), "UpdateType is missing");
        assertMessage(doc("<upd:Properties UpdateType=\"Category\"/>"), "CategoryType");
        assertMessage(doc("<upd:Properties UpdateType=\"Software\"/><upd:Files><upd:File Digest=\"AAAA\" FileName=\"x.exe\" Size=\"1\"/></upd:Files>"),
                "File x.exe @Digest is 3 bytes, expected 20");
        assertMessage(doc("<upd:Properties UpdateType=\"Software\"/><upd:Files><upd:File Digest=\"h/W9BGlYUAaqXTp30cZi/SiV3c0=\" FileName=\"x.exe\" Size=\"big\"/></upd:Files>"),
                "@Size is not a number");
        assertMessage(doc("<upd:Properties UpdateType=\"Software\"/><upd:Relationships><upd:Prerequisites><upd:UpdateIdentity UpdateID=\"nope\"/></upd:Prerequisites></upd:Relationships>"),
                "Prerequisites/UpdateIdentity/@UpdateID is not a GUID: nope");
        assertMessage("<upd:Update xmlns:upd=\"http://schemas.microsoft.com/msus/2002/12/Update\"><upd:Properties UpdateType=\"Software\"/></upd:Update>",
                "no UpdateIdentity");
        assertMessage("<Update/>", "root element");
        assertMessage("", "empty");
        assertMessage("<upd:Update xmlns:upd=\"http://schemas.microsoft.com/msus/2002/12/Update\">", "malformed");
    }

    @Test
    void hostileDocumentsAreRefused() {
        assertMessage("<!DOCTYPE u [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" + doc("<upd:Title>&x;</upd:Title>"), "DOCTYPE");
        assertMessage("<!DOCTYPE u [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>" + doc("<upd:Properties UpdateType=\"Software\">&c;</upd:Properties>"), "DOCTYPE");
        assertMessage(doc("<upd:Properties UpdateType=\"Software\">&undefined;</upd:Properties>"), "malformed");
        assertMessage(doc("<upd:Properties UpdateType=\"Software\"/>" + "<a>".repeat(200) + "</a>".repeat(200)), "depth");
        String big = "x".repeat(UpdateDocument.MAX_CHARS);
        assertMessage(doc("<upd:Properties UpdateType=\"Software\"/><upd:Title>" + big + "</upd:Title>"), "over the limit");
        StringBuilder refs = new StringBuilder("<upd:Properties UpdateType=\"Software\"/><upd:Relationships><upd:SupersededUpdates>");
        refs.append("<upd:UpdateIdentity UpdateID=\"266f6222-c89d-43f2-9f8a-69340271e677\"/>".repeat(100_001));
        refs.append("</upd:SupersededUpdates></upd:Relationships>");
        assertMessage(doc(refs.toString()), "more than 100000 update references");
        StringBuilder attrs = new StringBuilder("<upd:Properties UpdateType=\"Software\"");
        for (int i = 0; i < 100; i++) {
            attrs.append(" a").append(i).append("=\"1\"");
        }
        assertMessage(doc(attrs + "/>"), "attributes");
    }

    private static String doc(String body) {
        return "<upd:Update xmlns:upd=\"http://schemas.microsoft.com/msus/2002/12/Update\">"
                + "<upd:UpdateIdentity UpdateID=\"266f6222-c89d-43f2-9f8a-69340271e677\" RevisionNumber=\"1\"/>"
                + body + "</upd:Update>";
    }

    private static void assertMessage(String xml, String part) {
        MetadataException e = assertThrows(MetadataException.class, () -> UpdateDocument.parse(xml));
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
