package ferry.wsus.metadata;

import ferry.wsus.UpdateIdentity;
import ferry.wsus.xml.SafeXml;
import ferry.wsus.xml.XmlLimits;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** One-pass StAX reading of an update metadata document; the rest of the document is walked but not kept. */
final class UpdateDocumentParser {

    static final String NS_UPDATE = "http://schemas.microsoft.com/msus/2002/12/Update";
    static final String NS_CATEGORY = "http://schemas.microsoft.com/msus/2002/12/UpdateHandlers/Category";

    /** Caps on kept items: far above real documents (a few hundred), low enough to bound memory. */
    static final int MAX_REFERENCES = 100_000;
    static final int MAX_FILES = 10_000;
    static final int MAX_ELEMENTS = 2_000_000;

    private final String xml;
    private final Deque<String> path = new ArrayDeque<>();

    private UpdateIdentity identity;
    private UpdateType updateType;
    private CategoryType categoryType;
    private String firstTitle;
    private String englishTitle;
    private String kbArticleId;
    private String msrcNumber;
    private String msrcSeverity;
    private final List<String> required = new ArrayList<>();
    private final List<PrerequisiteGroup> groups = new ArrayList<>();
    private final List<UpdateIdentity> bundled = new ArrayList<>();
    private final List<String> superseded = new ArrayList<>();
    private final List<UpdateFile> files = new ArrayList<>();
    private int references;
    private boolean textConsumed;
    private int elements;

    // state of the element being read
    private List<String> groupIds;
    private boolean groupIsCategory;
    private String language;
    private String pendingTitle;
    private String fileName;
    private long fileSize;
    private String fileSha1;
    private String fileSha256;
    private String fileModified;

    UpdateDocumentParser(String xml) {
        this.xml = xml;
    }

    UpdateDocument parse() throws MetadataException {
        if (xml == null || xml.isEmpty()) {
            throw new MetadataException("update metadata is empty");
        }
        if (xml.length() > UpdateDocument.MAX_CHARS) {
            throw new MetadataException("update metadata is " + xml.length() + " characters, over the limit of "
                    + UpdateDocument.MAX_CHARS);
        }
        try {
            XMLStreamReader r = SafeXml.reader(xml, XmlLimits.METADATA);
            try {
                walk(r);
            } finally {
                r.close();
            }
        } catch (XMLStreamException e) {
            throw new MetadataException(who() + "malformed or refused XML: " + oneLine(e.getMessage()), e);
        } catch (IllegalArgumentException e) {
            throw new MetadataException(who() + e.getMessage(), e);
        }
        if (identity == null) {
            throw new MetadataException("update metadata has no UpdateIdentity");
        }
        if (updateType == null) {
            throw new MetadataException(who() + "Properties/@UpdateType is missing");
        }
        if (updateType == UpdateType.CATEGORY && categoryType == null) {
            throw new MetadataException(who() + "category without CategoryInformation/@CategoryType");
        }
        String title = englishTitle != null ? englishTitle : firstTitle;
        return new UpdateDocument(xml, identity, updateType, categoryType, title, kbArticleId, msrcNumber,
                msrcSeverity, required, groups, bundled, superseded, files);
    }

    private void walk(XMLStreamReader r) throws XMLStreamException, MetadataException {
        while (r.hasNext()) {
            int event = r.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                if (++elements > MAX_ELEMENTS) {
                    throw new MetadataException(who() + "more than " + MAX_ELEMENTS + " elements");
                }
                String name = qualified(r);
                if (path.isEmpty() && !"u:Update".equals(name)) {
                    throw new MetadataException("root element is not {" + NS_UPDATE + "}Update but "
                            + r.getLocalName());
                }
                path.push(name);
                textConsumed = false;
                start(r, name);
                if (textConsumed) {
                    // getElementText left the reader on this element's end tag
                    end(path.pop());
                }
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                end(path.pop());
            }
        }
    }

    private void start(XMLStreamReader r, String name) throws XMLStreamException, MetadataException {
        String parent = parent();
        switch (name) {
            case "u:UpdateIdentity" -> identityRef(r, parent);
            case "u:Properties" -> {
                if ("u:Update".equals(parent)) {
                    String type = r.getAttributeValue(null, "UpdateType");
                    if (type != null) {
                        updateType = UpdateType.fromXml(type);
                        if (updateType == null) {
                            throw new MetadataException(who() + "unknown Properties/@UpdateType \"" + clip(type) + "\"");
                        }
                    }
                    msrcSeverity = emptyToNull(r.getAttributeValue(null, "MsrcSeverity"));
                }
            }
            case "u:KBArticleID" -> {
                if ("u:Properties".equals(parent)) {
                    kbArticleId = emptyToNull(text(r));
                }
            }
            case "u:SecurityBulletinID" -> {
                if ("u:Properties".equals(parent)) {
                    msrcNumber = emptyToNull(text(r));
                }
            }
            case "u:LocalizedProperties" -> {
                language = null;
                pendingTitle = null;
            }
            case "u:Language" -> {
                if ("u:LocalizedProperties".equals(parent)) {
                    language = text(r).trim();
                }
            }
            case "u:Title" -> {
                if ("u:LocalizedProperties".equals(parent)) {
                    pendingTitle = text(r);
                }
            }
            case "u:AtLeastOne" -> {
                if ("u:Prerequisites".equals(parent)) {
                    groupIds = new ArrayList<>();
                    groupIsCategory = "true".equalsIgnoreCase(r.getAttributeValue(null, "IsCategory"));
                }
            }
            case "u:File" -> {
                if ("u:Files".equals(parent)) {
                    startFile(r);
                }
            }
            case "u:AdditionalDigest" -> {
                if ("u:File".equals(parent)) {
                    String algorithm = r.getAttributeValue(null, "Algorithm");
                    String value = text(r).trim();
                    if ("SHA256".equalsIgnoreCase(algorithm)) {
                        fileSha256 = digest(value, 32, "AdditionalDigest[@Algorithm=SHA256] of " + fileName);
                    }
                }
            }
            case "c:CategoryInformation" -> {
                if ("u:HandlerSpecificData".equals(parent)) {
                    String type = r.getAttributeValue(null, "CategoryType");
                    categoryType = CategoryType.fromXml(type);
                    if (categoryType == null) {
                        throw new MetadataException(who() + "unknown CategoryInformation/@CategoryType \""
                                + clip(String.valueOf(type)) + "\"");
                    }
                }
            }
            default -> { }
        }
    }

    private void end(String name) throws MetadataException {
        switch (name) {
            case "u:LocalizedProperties" -> {
                if (pendingTitle != null) {
                    if (firstTitle == null) {
                        firstTitle = pendingTitle;
                    }
                    if (englishTitle == null && "en".equalsIgnoreCase(language)) {
                        englishTitle = pendingTitle;
                    }
                }
            }
            case "u:AtLeastOne" -> {
                if (groupIds != null && "u:Prerequisites".equals(path.peek())) {
                    if (groupIds.isEmpty()) {
                        throw new MetadataException(who() + "empty Prerequisites/AtLeastOne group");
                    }
                    groups.add(new PrerequisiteGroup(groupIds, groupIsCategory));
                    groupIds = null;
                }
            }
            case "u:File" -> {
                if ("u:Files".equals(path.peek())) {
                    if (files.size() >= MAX_FILES) {
                        throw new MetadataException(who() + "more than " + MAX_FILES + " files");
                    }
                    files.add(new UpdateFile(fileName, fileSize, fileSha1, fileSha256, fileModified));
                }
            }
            default -> { }
        }
    }

    private void identityRef(XMLStreamReader r, String parent) throws MetadataException {
        String id = r.getAttributeValue(null, "UpdateID");
        String rev = r.getAttributeValue(null, "RevisionNumber");
        String grand = grandParent();
        if ("u:Update".equals(parent)) {
            if (identity != null) {
                throw new MetadataException(who() + "more than one UpdateIdentity");
            }
            identity = new UpdateIdentity(guid(id, "UpdateIdentity/@UpdateID"),
                    revision(rev, "UpdateIdentity/@RevisionNumber"));
            return;
        }
        if (identity == null) {
            return;
        }
        if ("u:Prerequisites".equals(parent)) {
            count();
            required.add(guid(id, "Prerequisites/UpdateIdentity/@UpdateID"));
        } else if ("u:AtLeastOne".equals(parent) && "u:Prerequisites".equals(grand) && groupIds != null) {
            count();
            groupIds.add(guid(id, "Prerequisites/AtLeastOne/UpdateIdentity/@UpdateID"));
        } else if ("u:BundledUpdates".equals(parent)
                || "u:AtLeastOne".equals(parent) && "u:BundledUpdates".equals(grand)) {
            count();
            bundled.add(new UpdateIdentity(guid(id, "BundledUpdates/UpdateIdentity/@UpdateID"),
                    revision(rev, "BundledUpdates/UpdateIdentity/@RevisionNumber")));
        } else if ("u:SupersededUpdates".equals(parent)) {
            count();
            superseded.add(guid(id, "SupersededUpdates/UpdateIdentity/@UpdateID"));
        }
    }

    private void startFile(XMLStreamReader r) throws MetadataException {
        fileName = r.getAttributeValue(null, "FileName");
        if (fileName == null || fileName.isBlank()) {
            throw new MetadataException(who() + "File without @FileName");
        }
        if (fileName.length() > 1024) {
            throw new MetadataException(who() + "File/@FileName longer than 1024 characters");
        }
        String size = r.getAttributeValue(null, "Size");
        try {
            fileSize = Long.parseLong(size == null ? "" : size.trim());
        } catch (NumberFormatException e) {
            throw new MetadataException(who() + "File " + clip(fileName) + ": @Size is not a number: " + clip(String.valueOf(size)));
        }
        if (fileSize < 0) {
            throw new MetadataException(who() + "File " + clip(fileName) + ": @Size is negative");
        }
        String algorithm = r.getAttributeValue(null, "DigestAlgorithm");
        if (algorithm != null && !"SHA1".equalsIgnoreCase(algorithm)) {
            throw new MetadataException(who() + "File " + clip(fileName) + ": @DigestAlgorithm is " + clip(algorithm)
                    + ", expected SHA1");
        }
        String digest = r.getAttributeValue(null, "Digest");
        fileSha1 = digest(digest == null ? "" : digest.trim(), 20, "File " + fileName + " @Digest");
        fileSha256 = null;
        fileModified = emptyToNull(r.getAttributeValue(null, "Modified"));
    }

    private String digest(String base64, int length, String field) throws MetadataException {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new MetadataException(who() + clip(field) + " is not base64");
        }
        if (bytes.length != length) {
            throw new MetadataException(who() + clip(field) + " is " + bytes.length + " bytes, expected " + length);
        }
        return base64;
    }

    private void count() throws MetadataException {
        if (++references > MAX_REFERENCES) {
            throw new MetadataException(who() + "more than " + MAX_REFERENCES + " update references");
        }
    }

    private String guid(String value, String field) throws MetadataException {
        if (value == null || value.length() != 36) {
            throw new MetadataException(who() + field + " is not a GUID: " + clip(String.valueOf(value)));
        }
        try {
            return UUID.fromString(value).toString().toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new MetadataException(who() + field + " is not a GUID: " + clip(value));
        }
    }

    private int revision(String value, String field) throws MetadataException {
        try {
            int rev = Integer.parseInt(value == null ? "" : value.trim());
            if (rev < 0) {
                throw new NumberFormatException();
            }
            return rev;
        } catch (NumberFormatException e) {
            throw new MetadataException(who() + field + " is not a revision number: " + clip(String.valueOf(value)));
        }
    }

    private String text(XMLStreamReader r) throws XMLStreamException {
        textConsumed = true;
        return r.getElementText();
    }

    private String parent() {
        // path holds the current element on top
        var it = path.iterator();
        it.next();
        return it.hasNext() ? it.next() : null;
    }

    private String grandParent() {
        var it = path.iterator();
        it.next();
        if (!it.hasNext()) {
            return null;
        }
        it.next();
        return it.hasNext() ? it.next() : null;
    }

    private static String qualified(XMLStreamReader r) {
        String ns = r.getNamespaceURI();
        if (NS_UPDATE.equals(ns)) {
            return "u:" + r.getLocalName();
        }
        if (NS_CATEGORY.equals(ns)) {
            return "c:" + r.getLocalName();
        }
        return "?:" + r.getLocalName();
    }

    private String who() {
        return identity == null ? "update metadata: " : "update " + identity + ": ";
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }
}
