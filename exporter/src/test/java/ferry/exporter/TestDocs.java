package ferry.exporter;

import ferry.samples.UpdateXmlWriter;

import java.util.List;

/**
 * Synthetic update metadata in the shape real upstream servers send (the element order and prefixes of the
 * real documents in {@code wsus-real/}, written by the samples module's {@link UpdateXmlWriter}), for tests that need updates with
 * files whose digests are real.
 */
final class TestDocs {

    // Real Microsoft GUIDs that the recorded documents reference but whose documents were not recorded.
    static final String DEFENDER_PRODUCT = "8c3fcc84-7410-4a95-8b89-a166a0190486";
    static final String DEFINITION_UPDATES = "e0789628-ce08-4437-be74-2495b842f43b";
    static final String WINDOWS_FAMILY = "6964aab4-c5b5-43bd-a17d-ffb4346a8e1d";
    static final String MICROSOFT_COMPANY = "56309036-4c77-4dd9-951a-99ee9c246a94";
    static final List<String> DEFENDER_DETECTOIDS = List.of("be4048db-157c-4532-9582-7f05099590c9",
            "59653007-e2e9-4f71-8525-2ff588527978", "0aac58ee-82a0-4452-a7fa-19f68398f1fa");

    // Fictional (Contoso is Microsoft's own example company), with real classification GUIDs.
    static final String CONTOSO_COMPANY = "2cdb89ee-fe28-4daa-a00e-6ba33932b76b";
    static final String CONTOSO_FAMILY = "b592d1bc-8d9c-4cdc-9b2b-b8ab8d8dead1";
    static final String CONTOSO_WIDGET = "1cfd6402-64fe-4e9a-91df-9e7314f1c872";
    static final String CONTOSO_GADGET = "5d0e2a52-1f3c-4c8e-9b7a-6a3e2f1d0c9b";
    static final String SECURITY_UPDATES = "0fa1201d-4330-4fa8-8ae9-b877473b6441";
    static final String CRITICAL_UPDATES = "e6cf1350-c01b-414d-a61f-263d14d133b4";
    static final String WIDGET_DETECTOID = "622bb2f5-699d-45a4-bd0f-76abc65b7e6a";
    static final String KB5000100_STACK = "0b7c6a57-3c5e-4b0f-a4b8-0d5b6c2d9e11";
    static final String KB5000101 = "262c0bf1-afd0-4712-b2e6-d9e0cf4ebc48";
    static final String KB5000102 = "ff85c299-5937-45bc-a597-9cc6e3a52c35";
    static final String KB5000103_BUNDLE = "2935eb24-5bdc-409f-ba29-7f922a60f922";
    static final String KB5000103_X64 = "a677ddb9-de33-45fb-8315-8eac0866da66";
    static final String KB5000103_X86 = "c4769179-99c4-4169-af70-aa724d5dc0e5";
    static final String KB5000104 = "7d3f0a8e-2b1c-4e5d-9f6a-8b7c6d5e4f30";

    record Bundled(String id, int revision) {
    }

    private TestDocs() {
    }

    static String category(String id, int revision, String categoryType, String title, String parentId) {
        return UpdateXmlWriter.category(id, revision, categoryType, title, null, parentId);
    }

    static String detectoid(String id, int revision, String title) {
        return UpdateXmlWriter.detectoid(id, revision, title, "SOFTWARE\\Contoso");
    }

    /**
     * A software update: {@code prerequisites} are bare ids, classification and product are IsCategory groups (as
     * on real bundles; leaves pass null for both), files carry real digests.
     */
    static String software(String id, int revision, String title, List<String> prerequisites, String classificationId,
                           String productId, List<Bundled> bundled, List<TestFiles.Generated> files) {
        return UpdateXmlWriter.software(id, revision, title, null, null, prerequisites, classificationId, productId,
                List.of(),
                bundled.stream().map(b -> new UpdateXmlWriter.Bundled(b.id(), b.revision())).toList(),
                files.stream().map(f -> new UpdateXmlWriter.FileRef(f.fileName(), f.size(), f.sha1Base64(), f.sha256Base64()))
                        .toList());
    }
}
