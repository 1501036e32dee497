package ferry.importer;

/**
 * A valid bundle that this store must not take (exit code 4), because of where it sits in its channel's history.
 * The store is unchanged. {@link #reason()} says which case it is.
 */
public final class BundleRefusedException extends ImporterException {
    private static final long serialVersionUID = 1L;

    /** Exit code of a refused import. */
    public static final int EXIT_CODE = 4;

    /** Why a bundle was refused. */
    public enum Reason {
        /**
         * Its sequence number is not above the last one imported on its channel: an old bundle played again, which
         * could roll the catalog back (bundle format section 3.1, {@code sequence}).
         */
        REPLAY,
        /** It is a delta on a base sequence number this store has not imported on its channel. */
        MISSING_BASE,
        /** Its bundle id was imported before with a different manifest: two different bundles claim one id. */
        ID_REUSED
    }

    private final Reason reason;

    public BundleRefusedException(Reason reason, String message) {
        super(EXIT_CODE, message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
