package ferry.cli;

import ferry.apt.catalog.RollbackException;
import ferry.apt.publish.PublishConfigException;
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
import ferry.wsus.catalog.ApprovalException;
import ferry.wsus.client.WsusException;
import picocli.CommandLine;

import java.util.List;
import java.util.Map;

/** Maps what went wrong to an exit code ({@link ExitCodes}) and one line for the operator. */
final class Errors {
    private Errors() {
    }

    /**
     * What each typed failure of the library modules means to the operator, most specific first. Anything else is a
     * bug (10), IllegalArgumentException and NullPointerException included: they are never the operator's mistake.
     */
    private static final List<Map.Entry<Class<? extends Throwable>, Integer>> CODES = List.of(
            Map.entry(BundleInvalidException.class, ExitCodes.INVALID_BUNDLE),
            Map.entry(BundleRefusedException.class, ExitCodes.REFUSED),
            Map.entry(StoreBusyException.class, ExitCodes.LOCKED),
            Map.entry(StoreUnusableException.class, ExitCodes.USAGE),
            Map.entry(NoSpaceException.class, ExitCodes.NO_SPACE),
            Map.entry(ferry.importer.VolumesMissingException.class, ExitCodes.INCOMPLETE),
            Map.entry(ImporterException.class, ExitCodes.INTERNAL),
            Map.entry(KeyException.class, ExitCodes.USAGE),
            Map.entry(PublishConfigException.class, ExitCodes.USAGE), // the store's APT key or publish.properties
            Map.entry(RollbackException.class, ExitCodes.USAGE),
            Map.entry(TrustStoreException.class, ExitCodes.USAGE),
            Map.entry(CommandLine.ParameterException.class, ExitCodes.USAGE),
            Map.entry(StoreLockedException.class, ExitCodes.LOCKED), // includes serving a store another run holds
            Map.entry(ServeException.class, ExitCodes.USAGE), // cannot open the store to serve, cannot bind
            Map.entry(StoreDamagedException.class, ExitCodes.USAGE),
            Map.entry(WsusException.class, ExitCodes.UPSTREAM),
            Map.entry(ApprovalException.class, ExitCodes.USAGE), // unknown update, KB, group; ambiguous name
            Map.entry(ferry.exporter.ExportNoSpaceException.class, ExitCodes.NO_SPACE),
            Map.entry(ExportConfigException.class, ExitCodes.USAGE), // includes SelectionException
            Map.entry(ExportUpstreamException.class, ExitCodes.UPSTREAM), // includes DownloadException
            Map.entry(ExportLockedException.class, ExitCodes.LOCKED));

    static int exitCode(Throwable ex) {
        // A full disk is one whatever wrapped it (the importer reports store failures as its own).
        for (Throwable t = ex; t != null; t = next(t)) {
            if (t instanceof StoreFullException) {
                return ExitCodes.NO_SPACE;
            }
            if (t instanceof PublishConfigException) {
                return ExitCodes.USAGE; // the importer reports it as a failed import: still the operator's to fix
            }
        }
        for (Throwable t = ex; t != null; t = next(t)) {
            if (t instanceof Bug) {
                return ExitCodes.INTERNAL;
            }
            if (t instanceof CliException c) {
                return c.exitCode();
            }
            for (Map.Entry<Class<? extends Throwable>, Integer> e : CODES) {
                if (e.getKey().isInstance(t)) {
                    return e.getValue();
                }
            }
        }
        return ExitCodes.INTERNAL;
    }

    private static Throwable next(Throwable t) {
        return t.getCause() == t ? null : t.getCause();
    }

    /**
     * Whether {@code ex} is the machine running out of a resource (memory, stack) rather than a bug: reported in
     * one line that says what to do, never with a stack trace.
     */
    static boolean isResourceExhaustion(Throwable ex) {
        for (Throwable t = ex; t != null; t = next(t)) {
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
