package ferry.exporter.wsus;

import ferry.wsus.ContentTypes;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ferry.exporter.ExportConfigException;
import ferry.exporter.PlannedEntry;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.catalog.ApprovalSet;
import ferry.wsus.catalog.ApprovalSetJson;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The WSUS entries of a bundle, with the paths and source identifiers of {@code docs/architecture.md} ("Bundle
 * entry paths"), and the manifest's selection object.
 */
final class WsusEntries {

    /** More unresolved references than this are counted in the manifest, not listed (selection is at most 1 MiB). */
    static final int MAX_LISTED_UNRESOLVED = 1000;

    private WsusEntries() {
    }

    /** {@code wsus/metadata/<updateId>/<revision>.xml}: the UTF-8 document text exactly as decoded. */
    static PlannedEntry metadata(FetchedUpdate u) {
        UpdateIdentity id = u.identity();
        return new PlannedEntry("wsus/metadata/" + id.updateId() + "/" + id.revisionNumber() + ".xml",
                "application/xml", Map.of("kind", "wsus-metadata", "updateId", id.updateId(),
                        "revisionNumber", Integer.toString(id.revisionNumber())),
                u.xmlBytes(), () -> Files.newInputStream(u.spooled()), null);
    }

    /**
     * {@code wsus/approvals.json}: an approval set's carried bytes ({@link ApprovalSetJson}); its source identifiers
     * count its groups, approvals, declines and rules (the importer checks them against the bytes), so a dry run
     * can say what it carries from the manifest alone.
     */
    static PlannedEntry approvals(byte[] carried, ApprovalSet set) {
        Map<String, String> source = new java.util.TreeMap<>();
        source.put("kind", ApprovalSet.KIND);
        source.put("groups", Integer.toString(set.groups().size()));
        source.put("approvals", Integer.toString(set.approvals().size()));
        source.put("declines", Integer.toString(set.declines().size()));
        source.put("rules", Integer.toString(set.rules().size()));
        return new PlannedEntry(ApprovalSet.PATH, ApprovalSet.MEDIA_TYPE, source, carried.length,
                () -> new java.io.ByteArrayInputStream(carried), null);
    }

    /** The manifest selection's {@code approvals}: what the carried approval set holds. */
    static ObjectNode approvalCounts(ApprovalSet set) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("groups", set.groups().size());
        n.put("approvals", set.approvals().size());
        n.put("declines", set.declines().size());
        n.put("rules", set.rules().size());
        return n;
    }

    /** SHA-256 of {@code bytes}, lower-case hex. */
    static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    /**
     * {@code wsus/content/<XX>/<SHA1HEX>.<ext>} from a verified cache file. The digests the writer computed while
     * copying are compared with the metadata once more, so a file changed on disk after its check cannot be
     * carried: that throws {@link ExportConfigException}.
     */
    static PlannedEntry content(ExpectedFile f, Path cached) {
        return new PlannedEntry(f.entryPath(), ContentTypes.forExtension(f.extension()),
                Map.of("kind", "wsus-content", "sha1", f.file().sha1Base64(), "fileName", f.file().fileName(),
                        "updateId", f.owner().updateId(),
                        "revisionNumber", Integer.toString(f.owner().revisionNumber())),
                f.file().size(), () -> Files.newInputStream(cached), e -> {
                    String problem = f.remote().mismatchHex(e.size(), e.sha1(), e.sha256());
                    if (problem != null) {
                        throw new ExportConfigException("cached file " + cached
                                + " changed while the bundle was written: " + problem);
                    }
                });
    }

    /**
     * The manifest's free-form selection: {@code source} "wsus", {@code upstream}, {@code products} and
     * {@code classifications} as {id, title}, {@code languages}, {@code mode}, {@code full},
     * {@code upstreamAnchor}, {@code unresolvedReferences} (at most {@value #MAX_LISTED_UNRESOLVED}, then
     * {@code unresolvedReferencesNotListed}) and {@code counts}.
     */
    static ObjectNode selection(String upstream, Selection sel, String mode, boolean full, String anchor,
                                List<UnresolvedReference> unresolved, Map<String, Long> counts) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        o.put("source", "wsus");
        o.put("upstream", upstream);
        o.set("products", refs(sel.products()));
        o.set("classifications", refs(sel.classifications()));
        ArrayNode langs = o.putArray("languages");
        sel.languages().forEach(langs::add);
        o.put("mode", mode);
        o.put("full", full);
        if (anchor != null) {
            o.put("upstreamAnchor", anchor);
        }
        ArrayNode un = o.putArray("unresolvedReferences");
        for (UnresolvedReference r : unresolved.subList(0, Math.min(unresolved.size(), MAX_LISTED_UNRESOLVED))) {
            ObjectNode n = un.addObject();
            n.put("updateId", r.updateId());
            if (r.revisionNumber() != null) {
                n.put("revisionNumber", r.revisionNumber().longValue());
            }
            if (r.referencedBy() != null) {
                n.put("referencedBy", r.referencedBy());
            }
            n.put("relation", r.relation());
            n.put("reason", r.reason());
        }
        if (unresolved.size() > MAX_LISTED_UNRESOLVED) {
            o.put("unresolvedReferencesNotListed", (long) unresolved.size() - MAX_LISTED_UNRESOLVED);
        }
        ObjectNode c = o.putObject("counts");
        counts.forEach(c::put);
        return o;
    }

    private static ArrayNode refs(List<CategoryRef> refs) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (CategoryRef r : refs) {
            a.addObject().put("id", r.id()).put("title", r.title());
        }
        return a;
    }
}
