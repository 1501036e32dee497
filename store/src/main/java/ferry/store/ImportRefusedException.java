package ferry.store;

/**
 * {@link Store#commitImport} refused a bundle because of where it sits in its channel's history; the store
 * is unchanged. {@link #reason()} tells the importer which case it is.
 */
public final class ImportRefusedException extends StoreException {
    /** Why a bundle was refused. */
    public enum Reason {
        /** This bundle id was imported before; importing it again would change nothing. */
        ALREADY_IMPORTED,
        /** The bundle's sequence number is not above the last one imported on its channel. */
        REPLAY,
        /** The bundle is a delta on a base sequence number this store never imported. */
        MISSING_BASE
    }

    private final Reason reason;

    public ImportRefusedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
