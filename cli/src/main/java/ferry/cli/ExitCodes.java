package ferry.cli;

/**
 * Exit codes shared by every ferry command, so that scripts and schedulers can act on the outcome.
 * The table is also in docs/architecture.md and the README.
 */
public final class ExitCodes {
    /** Everything the command was asked to do happened. */
    public static final int OK = 0;
    /** The bundle is invalid: a signature, volume, entry or the manifest failed verification. */
    public static final int INVALID_BUNDLE = 1;
    /** Bad option, unreadable key or configuration file, bad trust store policy. */
    public static final int USAGE = 2;
    /** The upstream server was unreachable, answered with a SOAP fault, or sent a file that did not match its digest. */
    public static final int UPSTREAM = 3;
    /** The import was refused: replay, downgrade, or a delta bundle whose base was never imported. */
    public static final int REFUSED = 4;
    /** Another run holds the lock on the export state or the store. */
    public static final int LOCKED = 5;
    /** Not enough disk space: the message names the path, the bytes needed and the bytes free. */
    public static final int NO_SPACE = 6;
    /**
     * {@code ferry export} found nothing new upstream since the channel's last bundle and wrote no bundle (a
     * scheduled run with nothing to carry; not a failure).
     */
    public static final int NOTHING_NEW = 7;
    /**
     * A bundle spread over media is incomplete: volumes are on none of the directories given. The message names the
     * media (and volumes) to insert; run again with every medium given by {@code --from}.
     */
    public static final int INCOMPLETE = 8;
    /** A bug in ferry; the message and a stack trace (with --verbose) should be reported. */
    public static final int INTERNAL = 10;

    private ExitCodes() {
    }
}
