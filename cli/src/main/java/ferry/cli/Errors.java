package ferry.cli;

import ferry.exporter.ExportConfigException;
import ferry.exporter.ExportLockedException;
import ferry.exporter.ExportUpstreamException;
import ferry.format.pgp.KeyException;
import ferry.format.trust.TrustStoreException;
import ferry.importer.BundleInvalidException;
import ferry.importer.BundleRefusedException;
import ferry.importer.ImporterException;
import ferry.importer.NoSpaceException;
import ferry.importer.StoreBusyException;
import ferry.importer.StoreUnusableException;
import ferry.server.ServeException;
import ferry.store.StoreDamagedException;
import ferry.store.StoreFullException;
import ferry.store.StoreLockedException;
import ferry.wsus.client.WsusException;
import picocli.CommandLine;

/** Maps what went wrong to an exit code ({@link ExitCodes}) and one line for the operator. */
final class Errors {
    private Errors() {
    }

    static int exitCode(Throwable ex) {
        // A full disk is one whatever wrapped it (the importer reports store failures as its own).
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StoreFullException) {
                return ExitCodes.NO_SPACE;
            }
        }
        Throwable t = ex;
        while (t != null) {
            if (t instanceof Bug) {
                return ExitCodes.INTERNAL;
            }
            if (t instanceof CliException c) {
                return c.exitCode();
            }
            if (t instanceof ImporterException i) {
                return importer(i);
            }
            // Not IllegalArgumentException: out of a library it is a bug, never the operator's usage error.
            if (t instanceof KeyException || t instanceof TrustStoreException
                    || t instanceof CommandLine.ParameterException) {
                return ExitCodes.USAGE;
            }
            if (t instanceof StoreLockedException) {
                return ExitCodes.LOCKED; // includes serving a store another run holds
            }
            if (t instanceof ServeException) {
                return ExitCodes.USAGE; // cannot open the store to serve, cannot bind the address
            }
            if (t instanceof StoreDamagedException) {
                return ExitCodes.USAGE;
            }
            if (t instanceof WsusException) {
                return ExitCodes.UPSTREAM;
            }
            if (t instanceof ExportConfigException) {
                return ExitCodes.USAGE; // includes SelectionException
            }
            if (t instanceof ExportUpstreamException) {
                return ExitCodes.UPSTREAM; // includes DownloadException
            }
            if (t instanceof ExportLockedException) {
                return ExitCodes.LOCKED;
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return ExitCodes.INTERNAL;
    }

    private static int importer(ImporterException e) {
        if (e instanceof BundleInvalidException) {
            return ExitCodes.INVALID_BUNDLE;
        }
        if (e instanceof BundleRefusedException) {
            return ExitCodes.REFUSED;
        }
        if (e instanceof StoreBusyException) {
            return ExitCodes.LOCKED;
        }
        if (e instanceof StoreUnusableException) {
            return ExitCodes.USAGE;
        }
        if (e instanceof NoSpaceException) {
            return ExitCodes.NO_SPACE;
        }
        return ExitCodes.INTERNAL;
    }

    /**
     * Whether {@code ex} is the machine running out of a resource (memory, stack) rather than a bug: reported in
     * one line that says what to do, never with a stack trace.
     */
    static boolean isResourceExhaustion(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError || t instanceof StackOverflowError) {
                return true;
            }
        }
        return false;
    }

    /** The message on one line: the operator reads one line first; --verbose adds the stack trace. */
    static String oneLine(Throwable ex) {
        if (isResourceExhaustion(ex)) {
            return "out of memory (Java heap limit " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB); give ferry"
                    + " more with FERRY_JAVA_OPTS=-Xmx<size>, e.g. FERRY_JAVA_OPTS=-Xmx2g";
        }
        boolean bug = exitCode(ex) == ExitCodes.INTERNAL && !(ex instanceof CliException);
        Throwable shown = ex instanceof Bug ? ex.getCause() : ex;
        String m = shown.getMessage();
        if (m == null || m.isBlank()) {
            m = shown.getClass().getSimpleName();
        }
        if (bug) {
            m = m + " (" + shown.getClass().getName() + "; this is a bug in ferry, please report it with --verbose output)";
        }
        return m.replace('\n', ' ').replace('\r', ' ');
    }

    /**
     * An unexpected exception out of a library call (a RuntimeException where the library documents typed
     * exceptions): always exit code 10, whatever its cause chain holds, so that an IllegalArgumentException or
     * NullPointerException deep inside a bug is never reported as the operator's usage error.
     */
    static final class Bug extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Bug(RuntimeException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
