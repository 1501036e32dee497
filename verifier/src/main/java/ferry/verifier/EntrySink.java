package ferry.verifier;

import ferry.format.Entry;
import java.io.IOException;

/**
 * Receives entries' bytes while the trust gate reads the volumes once ({@link BundleVerifier#verifyAndCopy}): the
 * importer copies exactly the bytes the gate hashes, so a volume changed between check and copy cannot get in.
 * Calls come from the gate's thread, entries in volume order, each entry's bytes in order.
 */
public interface EntrySink {

    /**
     * An entry's first bytes are about to come.
     *
     * @return where to write them, or null to have them only checked (e.g. the store holds the object already)
     * @throws IOException to stop the whole pass; the report then says the bundle could not be copied
     */
    EntryCopy begin(Entry entry) throws IOException;

    /** One entry on its way out of the bundle. */
    interface EntryCopy {
        /** The next {@code len} bytes of the entry. */
        void write(byte[] buf, int off, int len) throws IOException;

        /**
         * All of the entry's bytes were written, and {@code matched} says whether their size and SHA-256 were those
         * of the manifest. Called exactly once per copy that {@link #begin} returned, also when the pass fails
         * (then with {@code matched == false}).
         */
        void end(boolean matched) throws IOException;
    }
}
