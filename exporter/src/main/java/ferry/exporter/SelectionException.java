package ferry.exporter;

import java.util.List;

/**
 * A product, classification or language of the selection does not name exactly one thing on the upstream.
 * The message lists the close names, or the available ones when nothing is close.
 */
public final class SelectionException extends ExportConfigException {
    private static final long serialVersionUID = 1L;

    private final String requested;
    private final List<String> candidates;

    public SelectionException(String message, String requested, List<String> candidates) {
        super(message);
        this.requested = requested;
        this.candidates = List.copyOf(candidates);
    }

    /** The title, GUID or language code as the operator gave it. */
    public String requested() {
        return requested;
    }

    /** Close or available names, each {@code "<title> (<guid>)"} or a language code; may be empty. */
    public List<String> candidates() {
        return candidates;
    }
}
