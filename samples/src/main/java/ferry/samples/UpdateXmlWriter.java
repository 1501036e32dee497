package ferry.samples;

import java.util.List;

/**
 * Writes synthetic update metadata documents in the shape real upstream servers send (namespace
 * {@code http://schemas.microsoft.com/msus/2002/12/Update}, the same element order and prefixes as the real
 * documents in {@code wsus-real/}), so that ferry's parser, closure and serving meet what they meet in the field.
 */
public final class UpdateXmlWriter {

    static final String CREATION_DATE = "2026-10-13T17:00:00.000Z";
    private static final String PUBLISHER = "7f6f1a2e-9b4a-4f53-8d3c-2a1f0c9e6b5d";
    private static final String HEAD = "<upd:Update xmlns:pub=\"http://schemas.microsoft.com/msus/2002/12/Publishing\""
            + " xmlns:bar=\"http://schemas.microsoft.com/msus/2002/12/BaseApplicabilityRules\""
            + " xmlns:lar=\"http://schemas.microsoft.com/msus/2002/12/LogicalApplicabilityRules\""
            + " xmlns:upd=\"http://schemas.microsoft.com/msus/2002/12/Update\">";

    private UpdateXmlWriter() {
    }

    /** A category: Company, ProductFamily, Product or UpdateClassification, under an optional parent category. */
    public static String category(String id, int revision, String categoryType, String title, String description, String parentId) {
        StringBuilder x = new StringBuilder(HEAD);
        identity(x, id, revision);
        x.append("<upd:Properties DefaultPropertiesLanguage=\"en\" IsPublic=\"true\" UpdateType=\"Category\"")
                .append(" Handler=\"http://schemas.microsoft.com/msus/2002/12/UpdateHandlers/Category\"")
                .append(" PublicationState=\"Published\" CreationDate=\"").append(CREATION_DATE)
                .append("\" PublisherID=\"").append(PUBLISHER).append("\"></upd:Properties>");
        localized(x, title, description);
        if (parentId != null) {
            x.append("<upd:Relationships><upd:Prerequisites><upd:AtLeastOne IsCategory=\"true\">");
            ref(x, parentId, -1);
            x.append("</upd:AtLeastOne></upd:Prerequisites></upd:Relationships>");
        }
        x.append("<upd:HandlerSpecificData xsi:type=\"cat:Category\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">")
                .append("<cat:CategoryInformation CategoryType=\"").append(categoryType)
                .append("\" ProhibitsSubcategories=\"false\" ProhibitsUpdates=\"")
                .append(categoryType.equals("Product") || categoryType.equals("UpdateClassification") ? "false" : "true")
                .append("\" xmlns:cat=\"http://schemas.microsoft.com/msus/2002/12/UpdateHandlers/Category\" />")
                .append("</upd:HandlerSpecificData></upd:Update>");
        return x.toString();
    }

    /** A detectoid: an applicability rule other updates name as a prerequisite. */
    public static String detectoid(String id, int revision, String title, String registrySubkey) {
        StringBuilder x = new StringBuilder(HEAD);
        identity(x, id, revision);
        x.append("<upd:Properties UpdateType=\"Detectoid\" DefaultPropertiesLanguage=\"en\" PublicationState=\"Published\"")
                .append(" CreationDate=\"").append(CREATION_DATE).append("\" PublisherID=\"").append(PUBLISHER)
                .append("\"></upd:Properties>");
        localized(x, title, null);
        x.append("<upd:ApplicabilityRules><upd:IsInstalled><bar:RegKeyExists Key=\"HKEY_LOCAL_MACHINE\" Subkey=\"")
                .append(escape(registrySubkey)).append("\" /></upd:IsInstalled></upd:ApplicabilityRules></upd:Update>");
        return x.toString();
    }

    /**
     * One file of a software update.
     *
     * @param fileName     {@code File/@FileName}
     * @param size         size in bytes
     * @param sha1Base64   {@code File/@Digest}
     * @param sha256Base64 {@code AdditionalDigest Algorithm="SHA256"}
     */
    public record FileRef(String fileName, long size, String sha1Base64, String sha256Base64) {
    }

    /** One bundled update reference. */
    public record Bundled(String id, int revision) {
    }

    /**
     * A software update. Category membership (product, classification) is written as {@code IsCategory}
     * prerequisite groups, as on real bundles; leaves of a bundle name only their detectoids.
     */
    public static String software(String id, int revision, String title, String kb, String description,
                           List<String> detectoids, String classificationId, String productId,
                           List<String> supersededIds, List<Bundled> bundled, List<FileRef> files) {
        return software(id, revision, List.of(new Localized("en", title, description)), kb, detectoids,
                classificationId == null ? List.of() : List.of(classificationId),
                productId == null ? List.of() : List.of(productId), supersededIds, bundled, files);
    }

    /** One language's title and optional description ({@code LocalizedProperties}). */
    public record Localized(String language, String title, String description) {
    }

    /**
     * As {@link #software(String, int, String, String, String, List, String, String, List, List, List)}, with one
     * {@code LocalizedProperties} per language (the first is the default language) and any number of
     * classifications and products, each kind in one {@code IsCategory} group as on real documents.
     */
    public static String software(String id, int revision, List<Localized> localized, String kb,
                                  List<String> detectoids, List<String> classificationIds, List<String> productIds,
                                  List<String> supersededIds, List<Bundled> bundled, List<FileRef> files) {
        StringBuilder x = new StringBuilder(HEAD);
        identity(x, id, revision);
        long total = files.stream().mapToLong(FileRef::size).sum();
        x.append("<upd:Properties UpdateType=\"Software\" DefaultPropertiesLanguage=\"en\"");
        if (!files.isEmpty()) {
            x.append(" Handler=\"http://schemas.microsoft.com/msus/2002/12/UpdateHandlers/CommandLineInstallation\"")
                    .append(" MaxDownloadSize=\"").append(total).append("\" MinDownloadSize=\"0\"");
        }
        x.append(" PublicationState=\"Published\" CreationDate=\"").append(CREATION_DATE)
                .append("\" PublisherID=\"").append(PUBLISHER).append("\">");
        if (kb != null) {
            x.append("<upd:KBArticleID>").append(escape(kb)).append("</upd:KBArticleID>");
        }
        x.append("<upd:InstallationBehavior Impact=\"Minor\" /></upd:Properties>");
        localized(x, localized);
        x.append("<upd:Relationships><upd:Prerequisites>");
        for (String d : detectoids) {
            ref(x, d, -1);
        }
        categoryGroup(x, classificationIds);
        categoryGroup(x, productIds);
        x.append("</upd:Prerequisites>");
        if (!bundled.isEmpty()) {
            x.append("<upd:BundledUpdates><upd:AtLeastOne>");
            for (Bundled b : bundled) {
                ref(x, b.id(), b.revision());
            }
            x.append("</upd:AtLeastOne></upd:BundledUpdates>");
        }
        if (!supersededIds.isEmpty()) {
            x.append("<upd:SupersededUpdates>");
            for (String s : supersededIds) {
                ref(x, s, -1);
            }
            x.append("</upd:SupersededUpdates>");
        }
        x.append("</upd:Relationships>");
        if (!files.isEmpty()) {
            x.append("<upd:ApplicabilityRules><upd:IsInstalled><bar:RegKeyExists Key=\"HKEY_LOCAL_MACHINE\" Subkey=\"SOFTWARE\\Contoso\\Widget\\Installed\\")
                    .append(escape(kb == null ? id : kb)).append("\" /></upd:IsInstalled></upd:ApplicabilityRules>");
            x.append("<upd:Files>");
            for (FileRef f : files) {
                x.append("<upd:File Digest=\"").append(f.sha1Base64())
                        .append("\" DigestAlgorithm=\"SHA1\" FileName=\"").append(escape(f.fileName()))
                        .append("\" Size=\"").append(f.size()).append("\" Modified=\"2026-10-13T16:00:00Z\">")
                        .append("<upd:AdditionalDigest Algorithm=\"SHA256\">").append(f.sha256Base64())
                        .append("</upd:AdditionalDigest></upd:File>");
            }
            x.append("</upd:Files>");
            String program = files.get(0).fileName();
            x.append("<upd:HandlerSpecificData xsi:type=\"cmd:CommandLineInstallation\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">")
                    .append("<cmd:InstallCommand Program=\"").append(escape(program)).append("\" Arguments=\"/quiet /norestart\"")
                    .append(" xmlns:cmd=\"http://schemas.microsoft.com/msus/2002/12/UpdateHandlers/CommandLineInstallation\">")
                    .append("<cmd:ReturnCode Code=\"0\" Result=\"Succeeded\" /></cmd:InstallCommand></upd:HandlerSpecificData>");
        }
        x.append("</upd:Update>");
        return x.toString();
    }

    private static void identity(StringBuilder x, String id, int revision) {
        x.append("<upd:UpdateIdentity UpdateID=\"").append(id).append("\" RevisionNumber=\"").append(revision).append("\" />");
    }

    private static void ref(StringBuilder x, String id, int revision) {
        x.append("<upd:UpdateIdentity UpdateID=\"").append(id).append('"');
        if (revision >= 0) {
            x.append(" RevisionNumber=\"").append(revision).append('"');
        }
        x.append(" />");
    }

    private static void categoryGroup(StringBuilder x, List<String> ids) {
        if (!ids.isEmpty()) {
            x.append("<upd:AtLeastOne IsCategory=\"true\">");
            for (String id : ids) {
                ref(x, id, -1);
            }
            x.append("</upd:AtLeastOne>");
        }
    }

    private static void localized(StringBuilder x, List<Localized> all) {
        x.append("<upd:LocalizedPropertiesCollection>");
        for (Localized l : all) {
            x.append("<upd:LocalizedProperties><upd:Language>").append(escape(l.language()))
                    .append("</upd:Language><upd:Title>").append(escape(l.title())).append("</upd:Title>");
            if (l.description() != null) {
                x.append("<upd:Description>").append(escape(l.description())).append("</upd:Description>");
            }
            x.append("</upd:LocalizedProperties>");
        }
        x.append("</upd:LocalizedPropertiesCollection>");
    }

    private static void localized(StringBuilder x, String title, String description) {
        x.append("<upd:LocalizedPropertiesCollection><upd:LocalizedProperties><upd:Language>en</upd:Language><upd:Title>")
                .append(escape(title)).append("</upd:Title>");
        if (description != null) {
            x.append("<upd:Description>").append(escape(description)).append("</upd:Description>");
        }
        x.append("</upd:LocalizedProperties></upd:LocalizedPropertiesCollection>");
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
