package ferry.store;

import ferry.format.Entry;

/**
 * A verified bundle's entry that its source type cannot import: a path that does not match its source identifiers,
 * content that contradicts them, metadata that does not parse. The message is one line, {@code entry <path>: <what>}.
 */
public final class BundleEntryException extends Exception {
    private static final long serialVersionUID = 1L;

    public BundleEntryException(Entry entry, String problem) {
        super("entry " + entry.path() + ": " + problem);
    }
}
