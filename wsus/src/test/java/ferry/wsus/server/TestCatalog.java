package ferry.wsus.server;

import ferry.wsus.UpdateIdentity;
import ferry.wsus.metadata.UpdateDocument;
import ferry.wsus.metadata.UpdateType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** An in-memory catalog of update documents; one anchor, "7,2026-11-21", after which nothing changed. */
final class TestCatalog implements UpdateCatalog {

    static final String ANCHOR = "7,2026-11-21";

    private final Map<UpdateIdentity, UpdateDocument> docs = new TreeMap<>();
    private final Map<UpdateIdentity, List<CatalogFile>> files = new ConcurrentHashMap<>();
    private volatile ContentCoverage coverage = ContentCoverage.ALL;

    TestCatalog coverage(ContentCoverage c) {
        coverage = c;
        return this;
    }

    @Override
    public ContentCoverage contentCoverage() {
        return coverage;
    }

    /** Counted down each time a server calls {@link #prepare}; {@link #prepareFailure}, if set, is thrown there. */
    final java.util.concurrent.CountDownLatch prepared = new java.util.concurrent.CountDownLatch(1);
    volatile RuntimeException prepareFailure;

    @Override
    public void prepare() {
        prepared.countDown();
        if (prepareFailure != null) {
            throw prepareFailure;
        }
    }

    private volatile ferry.wsus.catalog.DeploymentChanges deployments;

    /** What {@link #deploymentChanges} answers from now on (null: the default, no approvals). */
    TestCatalog deployments(ferry.wsus.catalog.DeploymentChanges d) {
        deployments = d;
        return this;
    }

    /** The set deployments when {@code since} is below their counter, else only the groups and hidden updates. */
    @Override
    public ferry.wsus.catalog.DeploymentChanges deploymentChanges(long since) {
        ferry.wsus.catalog.DeploymentChanges d = deployments;
        if (d == null) {
            return UpdateCatalog.super.deploymentChanges(since);
        }
        return since < d.counter() ? d : new ferry.wsus.catalog.DeploymentChanges(d.counter(), d.groups(), List.of(),
                List.of(), d.hiddenUpdates());
    }

    TestCatalog add(String xml) throws Exception {
        UpdateDocument doc = UpdateDocument.parse(xml);
        docs.put(doc.identity(), doc);
        List<CatalogFile> list = new ArrayList<>();
        doc.files().forEach(f -> list.add(new CatalogFile(f.sha1Base64(), f.fileName(), f.size(),
                "http://download.windowsupdate.com/" + f.fileName().toLowerCase())));
        files.put(doc.identity(), list);
        return this;
    }

    TestCatalog file(UpdateIdentity id, CatalogFile file) {
        files.computeIfAbsent(id, k -> new ArrayList<>()).add(file);
        return this;
    }

    /** Replaces the files of a revision. */
    TestCatalog files(UpdateIdentity id, List<CatalogFile> list) {
        files.put(id, new ArrayList<>(list));
        return this;
    }

    @Override
    public String anchor() {
        return ANCHOR;
    }

    @Override
    public List<UpdateIdentity> revisions(boolean getConfig, Set<String> productIds, Set<String> classificationIds,
                                          String sinceAnchor) throws InvalidAnchorException {
        if (sinceAnchor != null && !ANCHOR.equals(sinceAnchor)) {
            throw new InvalidAnchorException("unknown anchor " + sinceAnchor);
        }
        if (sinceAnchor != null) {
            return List.of();
        }
        List<UpdateIdentity> out = new ArrayList<>();
        for (UpdateDocument d : docs.values()) {
            boolean config = d.updateType() == UpdateType.CATEGORY || d.updateType() == UpdateType.DETECTOID;
            if (config != getConfig) {
                continue;
            }
            if (!getConfig && (!matches(d, productIds) || !matches(d, classificationIds))) {
                continue;
            }
            out.add(d.identity());
        }
        return out;
    }

    private static boolean matches(UpdateDocument d, Set<String> ids) {
        return ids.isEmpty() || d.categoryIds().stream().anyMatch(ids::contains);
    }

    @Override
    public List<UpdateIdentity> bundledUpdates(UpdateIdentity id) {
        UpdateDocument doc = docs.get(id);
        return doc == null ? List.of() : doc.bundledUpdates().stream().filter(docs::containsKey).toList();
    }

    @Override
    public Optional<String> metadata(UpdateIdentity id) {
        return Optional.ofNullable(docs.get(id)).map(UpdateDocument::xml);
    }

    @Override
    public List<CatalogFile> files(UpdateIdentity id) {
        return files.getOrDefault(id, List.of());
    }
}
