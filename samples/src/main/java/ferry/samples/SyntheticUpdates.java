package ferry.samples;

import ferry.samples.UpdateXmlWriter.Bundled;
import ferry.samples.UpdateXmlWriter.FileRef;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The synthetic part of the sample catalog.
 *
 * <p>Two groups of documents. First, stand-ins for the Microsoft categories and detectoids that the real
 * documents reference but that were not recorded (the Defender product, the Definition Updates
 * classification, three detectoids), so that the catalog is closed: every prerequisite resolves. Second, a
 * fictional product, Contoso Widget, whose updates carry files this class generates, so that their SHA-1 and
 * SHA-256 digests are real and the whole path, files included, can run on one machine.
 */
public final class SyntheticUpdates {

    // Real Microsoft GUIDs, referenced by the recorded documents but absent from them.
    public static final String DEFENDER_PRODUCT = "8c3fcc84-7410-4a95-8b89-a166a0190486";
    public static final String DEFINITION_UPDATES = "e0789628-ce08-4437-be74-2495b842f43b";
    public static final String WINDOWS_FAMILY = "6964aab4-c5b5-43bd-a17d-ffb4346a8e1d";
    static final String[] DEFENDER_DETECTOIDS = {
            "be4048db-157c-4532-9582-7f05099590c9",
            "59653007-e2e9-4f71-8525-2ff588527978",
            "0aac58ee-82a0-4452-a7fa-19f68398f1fa"};

    // Real Microsoft classification GUIDs, used by the Contoso updates.
    public static final String SECURITY_UPDATES = "0fa1201d-4330-4fa8-8ae9-b877473b6441";
    public static final String CRITICAL_UPDATES = "e6cf1350-c01b-414d-a61f-263d14d133b4";

    // Fictional: Contoso is the name Microsoft's own documentation uses for an example company.
    public static final String CONTOSO_COMPANY = "2cdb89ee-fe28-4daa-a00e-6ba33932b76b";
    public static final String CONTOSO_FAMILY = "b592d1bc-8d9c-4cdc-9b2b-b8ab8d8dead1";
    public static final String CONTOSO_WIDGET = "1cfd6402-64fe-4e9a-91df-9e7314f1c872";
    static final String WIDGET_DETECTOID = "622bb2f5-699d-45a4-bd0f-76abc65b7e6a";
    public static final String KB5000101 = "262c0bf1-afd0-4712-b2e6-d9e0cf4ebc48";
    public static final String KB5000102 = "ff85c299-5937-45bc-a597-9cc6e3a52c35";
    public static final String KB5000103_BUNDLE = "2935eb24-5bdc-409f-ba29-7f922a60f922";
    static final String KB5000103_X64 = "a677ddb9-de33-45fb-8315-8eac0866da66";
    static final String KB5000103_X86 = "c4769179-99c4-4169-af70-aa724d5dc0e5";

    /** The files of the Contoso updates; sizes in bytes. One is larger than 1 MiB so ranged GETs matter. */
    static final SampleFile WIDGET_101 = new SampleFile("contoso-widget-kb5000101-x64.msu", 384 * 1024 + 17, 101);
    static final SampleFile WIDGET_102 = new SampleFile("contoso-widget-kb5000102-x64.msu", 1536 * 1024 + 5, 102);
    static final SampleFile WIDGET_103_X64 = new SampleFile("contoso-widget-kb5000103-x64.cab", 640 * 1024 + 3, 1031);
    static final SampleFile WIDGET_103_X86 = new SampleFile("contoso-widget-kb5000103-x86.exe", 200 * 1024 + 1, 1032);

    private SyntheticUpdates() {
    }

    /**
     * Generates the Contoso files into {@code filesDir} (skipping those already there) and returns every
     * synthetic document as XML text.
     */
    public static List<String> documents(Path filesDir) {
        List<String> docs = new ArrayList<>();
        docs.add(UpdateXmlWriter.category(DEFENDER_PRODUCT, 200, "Product", "Microsoft Defender Antivirus",
                "ferry sample: stands in for the real product category, whose document was not recorded.", WINDOWS_FAMILY));
        docs.add(UpdateXmlWriter.category(DEFINITION_UPDATES, 200, "UpdateClassification", "Definition Updates",
                "ferry sample: stands in for the real classification, whose document was not recorded.", null));
        for (String d : DEFENDER_DETECTOIDS) {
            docs.add(UpdateXmlWriter.detectoid(d, 200, "ferry sample detectoid " + d.substring(0, 8)
                    + " (stands in for a Defender detectoid that was not recorded)", "SOFTWARE\\Microsoft\\Windows Defender"));
        }

        docs.add(UpdateXmlWriter.category(CONTOSO_COMPANY, 100, "Company", "Contoso", "Contoso Ltd. (fictional)", null));
        docs.add(UpdateXmlWriter.category(CONTOSO_FAMILY, 100, "ProductFamily", "Contoso Tools", "Tools by Contoso (fictional)", CONTOSO_COMPANY));
        docs.add(UpdateXmlWriter.category(CONTOSO_WIDGET, 100, "Product", "Contoso Widget", "Contoso Widget 1.x (fictional)", CONTOSO_FAMILY));
        docs.add(UpdateXmlWriter.category(SECURITY_UPDATES, 100, "UpdateClassification", "Security Updates",
                "A widely released fix for a product-specific, security-related vulnerability.", null));
        docs.add(UpdateXmlWriter.category(CRITICAL_UPDATES, 100, "UpdateClassification", "Critical Updates",
                "A widely released fix for a specific problem that addresses a critical, non-security-related bug.", null));
        docs.add(UpdateXmlWriter.detectoid(WIDGET_DETECTOID, 100, "Contoso Widget is installed", "SOFTWARE\\Contoso\\Widget"));

        List<String> widget = List.of(WIDGET_DETECTOID);
        docs.add(UpdateXmlWriter.software(KB5000101, 100, "Security Update for Contoso Widget 1.0 (KB5000101)", "5000101",
                "Fixes a vulnerability in the widget's file parser.", widget, SECURITY_UPDATES, CONTOSO_WIDGET,
                List.of(), List.of(), List.of(ref(WIDGET_101, filesDir))));
        docs.add(UpdateXmlWriter.software(KB5000102, 101, "Security Update for Contoso Widget 1.1 (KB5000102)", "5000102",
                "Cumulative: includes KB5000101 and fixes a second vulnerability.", widget, SECURITY_UPDATES, CONTOSO_WIDGET,
                List.of(KB5000101), List.of(), List.of(ref(WIDGET_102, filesDir))));
        docs.add(UpdateXmlWriter.software(KB5000103_BUNDLE, 100, "Critical Update for Contoso Widget (KB5000103)", "5000103",
                "Fixes a crash on start; installs the package for the machine's architecture.", widget, CRITICAL_UPDATES,
                CONTOSO_WIDGET, List.of(), List.of(new Bundled(KB5000103_X64, 100), new Bundled(KB5000103_X86, 100)), List.of()));
        docs.add(UpdateXmlWriter.software(KB5000103_X64, 100, "Critical Update for Contoso Widget (KB5000103) x64 package", null,
                null, widget, null, null, List.of(), List.of(), List.of(ref(WIDGET_103_X64, filesDir))));
        docs.add(UpdateXmlWriter.software(KB5000103_X86, 100, "Critical Update for Contoso Widget (KB5000103) x86 package", null,
                null, widget, null, null, List.of(), List.of(), List.of(ref(WIDGET_103_X86, filesDir))));
        return docs;
    }

    /** A feature update whose single file is as large as asked: the benchmarks' way to move gigabytes. */
    public static final String KB5000200_FEATURE = "21ad3417-98dc-45a4-bd3d-e4eb1eba31b6";

    /**
     * The Contoso Widget 2.0 feature update, carrying one generated file of {@code size} bytes (a UUP-style
     * {@code .esd}), classified as an update of Contoso Widget. Generating a few GiB takes seconds to a minute.
     */
    public static String featureUpdate(Path filesDir, long size) {
        SampleFile esd = new SampleFile("contoso-widget-2.0-feature-x64.esd", size, 2000);
        return UpdateXmlWriter.software(KB5000200_FEATURE, 100, "Feature Update to Contoso Widget 2.0 (KB5000200)", "5000200",
                "Upgrades Contoso Widget 1.x to 2.0.", List.of(WIDGET_DETECTOID), CRITICAL_UPDATES, CONTOSO_WIDGET,
                List.of(), List.of(), List.of(ref(esd, filesDir)));
    }

    /** An update carrying many small files: the benchmarks' way to serve many different files. */
    public static final String KB5000300_LANGUAGE_PACKS = "8e7d0f45-35c1-4b7e-9a5f-3c1e6f0d2a11";

    /**
     * The Contoso Widget 2.0 language packs update, carrying {@code count} generated files of {@code size} bytes
     * each ({@code .cab}, all different), classified as an update of Contoso Widget.
     *
     * @throws IllegalArgumentException if {@code count} is not 1..10000 or {@code size} is not positive
     */
    public static String languagePacks(Path filesDir, int count, long size) {
        if (count < 1 || count > 10_000 || size < 1) {
            throw new IllegalArgumentException("language packs: 1..10000 files of at least 1 byte, not " + count
                    + " of " + size);
        }
        List<FileRef> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            files.add(ref(new SampleFile(String.format("contoso-widget-2.0-lp%04d-x64.cab", i), size, 3000 + i), filesDir));
        }
        return UpdateXmlWriter.software(KB5000300_LANGUAGE_PACKS, 100, "Language Packs for Contoso Widget 2.0 (KB5000300)",
                "5000300", "Every language of Contoso Widget 2.0.", List.of(WIDGET_DETECTOID), CRITICAL_UPDATES,
                CONTOSO_WIDGET, List.of(), List.of(), files);
    }

    /** All generated files, for tests and the demo's summary. */
    public static List<SampleFile> files() {
        return List.of(WIDGET_101, WIDGET_102, WIDGET_103_X64, WIDGET_103_X86);
    }

    private static FileRef ref(SampleFile file, Path dir) {
        SampleFile.Digests d = file.generate(dir);
        return new FileRef(file.fileName(), file.size(), d.sha1Base64(), d.sha256Base64());
    }
}
