package ferry.wsus.catalog;

import ferry.format.Entry;
import ferry.store.BundleEntryException;
import ferry.wsus.ContentUrls;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.metadata.UpdateDocument;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The WSUS entries of a verified manifest sorted into update metadata, update files and the approval set
 * (docs/architecture.md, "Bundle entry paths"), each checked against its source identifiers before anything is copied: the path must name the same
 * revision or SHA-1 as the source map, and a file's SHA-1 (computed by the exporter while writing) must equal the
 * upstream digest.
 */
final class WsusEntries {
    static final String KIND = "kind";
    static final String KIND_METADATA = "wsus-metadata";
    static final String KIND_CONTENT = "wsus-content";

    /** Largest metadata document read into memory: the parser's limit at 4 UTF-8 bytes per char. */
    static final long MAX_METADATA_BYTES = (long) UpdateDocument.MAX_CHARS * 4;

    private static final Pattern METADATA_PATH = Pattern.compile("wsus/metadata/([0-9A-Fa-f-]{36})/([0-9]{1,10})\\.xml");
    private static final Pattern CONTENT_PATH = Pattern.compile("wsus/content/([0-9A-F]{2})/([0-9A-F]{40})(?:\\.([A-Za-z0-9]{1,16}))?");

    /** An update metadata entry and the revision it holds. */
    record Metadata(Entry entry, UpdateIdentity identity) {
    }

    /**
     * An update file entry.
     *
     * @param sha1Hex  40 upper-case hex digits
     * @param fileName the original file name from the source map
     */
    record Content(Entry entry, String sha1Hex, String fileName) {
    }

    final List<Metadata> metadata;
    final List<Content> content;
    /** The carried approval set ({@link ApprovalSet#KIND}), or null. */
    final Entry approvals;
    final long totalBytes;

    private WsusEntries(List<Metadata> metadata, List<Content> content, Entry approvals, long totalBytes) {
        this.metadata = List.copyOf(metadata);
        this.content = List.copyOf(content);
        this.approvals = approvals;
        this.totalBytes = totalBytes;
    }

    /** @throws BundleEntryException naming the first entry that is not usable */
    static WsusEntries of(List<Entry> entries) throws BundleEntryException {
        List<Metadata> metadata = new ArrayList<>();
        Map<String, Content> content = new LinkedHashMap<>();
        Set<UpdateIdentity> seen = new HashSet<>();
        Entry approvals = null;
        for (Entry e : entries) {
            String kind = e.source().get(KIND);
            if (KIND_METADATA.equals(kind)) {
                Metadata m = metadata(e);
                if (!seen.add(m.identity())) {
                    throw invalid(e, "update " + m.identity() + " is carried twice");
                }
                metadata.add(m);
            } else if (KIND_CONTENT.equals(kind)) {
                Content c = content(e);
                // The same bytes under two extensions: one object, one file row; the first name wins.
                content.putIfAbsent(c.sha1Hex(), c);
            } else if (ApprovalSet.KIND.equals(kind)) {
                if (!e.path().equals(ApprovalSet.PATH)) {
                    throw invalid(e, "is an approval set, which is carried at " + ApprovalSet.PATH + " only");
                }
                if (e.size() > ApprovalSetJson.MAX_BYTES) {
                    throw invalid(e, "is " + e.size() + " bytes, over the approval set limit of "
                            + ApprovalSetJson.MAX_BYTES);
                }
                approvals = e;
            } else {
                throw invalid(e, kind == null ? "has no source kind" : "has source kind \"" + kind
                        + "\", which this importer does not know");
            }
        }
        long total = 0;
        for (Metadata m : metadata) {
            total += m.entry().size();
        }
        for (Content c : content.values()) {
            total += c.entry().size();
        }
        if (approvals != null) {
            total += approvals.size();
        }
        return new WsusEntries(metadata, new ArrayList<>(content.values()), approvals, total);
    }

    private static Metadata metadata(Entry e) throws BundleEntryException {
        Matcher m = METADATA_PATH.matcher(e.path());
        if (!m.matches()) {
            throw invalid(e, "is not at wsus/metadata/<updateId>/<revision>.xml");
        }
        UpdateIdentity fromPath;
        UpdateIdentity fromSource;
        try {
            fromPath = new UpdateIdentity(m.group(1), Integer.parseInt(m.group(2)));
            fromSource = new UpdateIdentity(require(e, "updateId"), Integer.parseInt(require(e, "revisionNumber")));
        } catch (IllegalArgumentException ex) {
            throw invalid(e, "names no valid update revision: " + ex.getMessage());
        }
        if (!fromPath.equals(fromSource)) {
            throw invalid(e, "path names " + fromPath + " but its source identifiers name " + fromSource);
        }
        if (e.size() > MAX_METADATA_BYTES) {
            throw invalid(e, "is " + e.size() + " bytes, over the metadata limit of " + MAX_METADATA_BYTES);
        }
        return new Metadata(e, fromSource);
    }

    private static Content content(Entry e) throws BundleEntryException {
        Matcher m = CONTENT_PATH.matcher(e.path());
        if (!m.matches() || !m.group(2).endsWith(m.group(1))) {
            throw invalid(e, "is not at wsus/content/<XX>/<SHA1HEX>.<ext>");
        }
        String fileName = require(e, "fileName");
        String sha1Hex;
        String extension;
        try {
            sha1Hex = ContentUrls.sha1Hex(require(e, "sha1"));
            extension = ContentUrls.extension(fileName);
        } catch (IllegalArgumentException ex) {
            throw invalid(e, ex.getMessage());
        }
        if (!sha1Hex.equals(m.group(2))) {
            throw invalid(e, "path names SHA-1 " + m.group(2) + " but the upstream digest is " + sha1Hex);
        }
        String pathExtension = m.group(3) == null ? "" : m.group(3);
        if (!pathExtension.equalsIgnoreCase(extension)) {
            throw invalid(e, "path extension \"" + pathExtension + "\" differs from the file name " + fileName);
        }
        if (!e.sha1().toUpperCase(Locale.ROOT).equals(sha1Hex)) {
            throw invalid(e, "content has SHA-1 " + e.sha1().toUpperCase(Locale.ROOT) + " but the upstream digest is "
                    + sha1Hex);
        }
        return new Content(e, sha1Hex, fileName);
    }

    private static String require(Entry e, String key) throws BundleEntryException {
        String v = e.source().get(key);
        if (v == null || v.isEmpty()) {
            throw invalid(e, "has no source identifier " + key);
        }
        return v;
    }

    static BundleEntryException invalid(Entry e, String problem) {
        return new BundleEntryException(e, problem);
    }
}
