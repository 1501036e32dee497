package ferry.exporter;

import ferry.wsus.UpdateIdentity;
import ferry.wsus.metadata.UpdateDocument;
import ferry.wsus.metadata.UpdateType;
import ferry.wsus.server.UpdateCatalog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory upstream catalog. The anchor changes with every document added; each update is listed at its
 * latest revision; an update matches a filter through its IsCategory groups, as on a real server. Switches
 * make GetRevisionIdList fault or wait, for error and lock tests.
 */
final class TestCatalog implements UpdateCatalog {

    private final Map<UpdateIdentity, UpdateDocument> docs = new TreeMap<>();
    private int version;
    volatile boolean faultOnList;
    volatile CountDownLatch entered;
    volatile CountDownLatch gate;

    synchronized TestCatalog add(String xml) throws Exception {
        UpdateDocument d = UpdateDocument.parse(xml);
        docs.put(d.identity(), d);
        version++;
        return this;
    }

    synchronized String xml(UpdateIdentity id) {
        return docs.get(id).xml();
    }

    @Override
    public synchronized String anchor() {
        return version + ",2026-11-21 00:00:00.000";
    }

    @Override
    public List<UpdateIdentity> revisions(boolean getConfig, Set<String> productIds, Set<String> classificationIds,
                                          String sinceAnchor) throws InvalidAnchorException {
        if (faultOnList) {
            throw new InvalidAnchorException("test: refusing the filter");
        }
        CountDownLatch g = gate;
        if (getConfig && g != null) {
            entered.countDown();
            try {
                g.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            Map<String, UpdateDocument> latest = new HashMap<>();
            for (UpdateDocument d : docs.values()) {
                latest.merge(d.identity().updateId(), d,
                        (a, b) -> a.identity().revisionNumber() >= b.identity().revisionNumber() ? a : b);
            }
            List<UpdateIdentity> out = new ArrayList<>();
            for (UpdateDocument d : latest.values()) {
                boolean config = d.updateType() == UpdateType.CATEGORY || d.updateType() == UpdateType.DETECTOID;
                if (config == getConfig && (getConfig || matches(d, productIds) && matches(d, classificationIds))) {
                    out.add(d.identity());
                }
            }
            out.sort(null);
            return out;
        }
    }

    private static boolean matches(UpdateDocument d, Set<String> ids) {
        return ids.isEmpty() || d.categoryIds().stream().anyMatch(ids::contains);
    }

    @Override
    public synchronized List<UpdateIdentity> bundledUpdates(UpdateIdentity id) {
        UpdateDocument doc = docs.get(id);
        return doc == null ? List.of() : doc.bundledUpdates().stream().filter(docs::containsKey).toList();
    }

    @Override
    public synchronized Optional<String> metadata(UpdateIdentity id) {
        return Optional.ofNullable(docs.get(id)).map(UpdateDocument::xml);
    }

    @Override
    public synchronized List<CatalogFile> files(UpdateIdentity id) {
        UpdateDocument d = docs.get(id);
        return d == null ? List.of() : d.files().stream()
                .map(f -> new CatalogFile(f.sha1Base64(), f.fileName(), f.size(), "")).toList();
    }
}
