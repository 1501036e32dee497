package ferry.wsus.server;

import ferry.wsus.UpdateIdentity;
import ferry.wsus.cab.CabBlob;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The LZX cabinets GetUpdateData sends in {@code XmlUpdateBlobCompressed}, made on all cores and kept, least recently
 * used first out, up to {@link #DEFAULT_BUDGET_BYTES} of cabinet bytes. Compressing is the cost of a GetUpdateData
 * (about 1 ms of CPU per document of some tens of KiB): downstream servers ask for the same revisions, and a stored
 * revision's metadata never changes, so a cabinet made once is good for every later request.
 */
final class BlobCabinets {
    /** Bytes of cabinets kept (a document's cabinet is typically a few KiB): small beside a -Xmx512m server. */
    static final long DEFAULT_BUDGET_BYTES = 32L << 20;

    private final long budgetBytes;
    private final LinkedHashMap<UpdateIdentity, byte[]> kept = new LinkedHashMap<>(1024, 0.75f, true);
    private long keptBytes;

    BlobCabinets(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /**
     * The cabinet of each document, in order: kept ones at once, the others compressed in parallel.
     *
     * @param ids  the revisions, naming the documents in the cache
     * @param xmls each revision's metadata document, same order
     */
    List<byte[]> cabinets(List<UpdateIdentity> ids, List<String> xmls) {
        byte[][] out = new byte[ids.size()][];
        for (int i = 0; i < ids.size(); i++) {
            out[i] = get(ids.get(i));
        }
        // A parallel stream: the request's own thread works too (the common pool alone has one thread on 2 cores).
        IntStream.range(0, out.length).parallel().filter(i -> out[i] == null)
                .forEach(i -> out[i] = CabBlob.encode(xmls.get(i)));
        for (int i = 0; i < out.length; i++) {
            put(ids.get(i), out[i]);
        }
        return Arrays.asList(out);
    }

    private synchronized byte[] get(UpdateIdentity id) {
        return kept.get(id);
    }

    private synchronized void put(UpdateIdentity id, byte[] cab) {
        if (cab.length > budgetBytes || kept.containsKey(id)) {
            return;
        }
        kept.put(id, cab);
        keptBytes += cab.length;
        for (Iterator<Map.Entry<UpdateIdentity, byte[]>> it = kept.entrySet().iterator();
             keptBytes > budgetBytes && it.hasNext(); ) {
            keptBytes -= it.next().getValue().length;
            it.remove();
        }
    }
}
