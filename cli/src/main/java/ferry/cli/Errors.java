package ferry.cli;

import ferry.exporter.ExportException;
import ferry.format.pgp.KeyException;
import ferry.format.trust.TrustStoreException;
import ferry.importer.ImporterException;
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
            if (t instanceof CliException c) {
                return c.exitCode();
            }
            if (t instanceof ImporterException i) {
                return i.exitCode();
            }
            if (t instanceof KeyException || t instanceof TrustStoreException
                    || t instanceof CommandLine.ParameterException || t instanceof IllegalArgumentException) {
                return ExitCodes.USAGE;
            }
            if (t instanceof StoreLockedException) {
                return ExitCodes.LOCKED;
            }
            if (t instanceof StoreDamagedException) {
                return ExitCodes.USAGE;
            }
            if (t instanceof WsusException) {
                return ExitCodes.UPSTREAM;
            }
            if (t instanceof ExportException e) {
                return e.exitCode();
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return ExitCodes.INTERNAL;
    }

    /** The message on one line: the operator reads one line first; --verbose adds the stack trace. */
    static String oneLine(Throwable ex) {
        String m = ex.getMessage();
        if (m == null || m.isBlank()) {
            m = ex.getClass().getSimpleName();
        }
        if (exitCode(ex) == ExitCodes.INTERNAL && !(ex instanceof CliException)) {
            m = m + " (" + ex.getClass().getName() + "; this is a bug in ferry, please report it with --verbose output)";
        }
        return m.replace('\n', ' ').replace('\r', ' ');
    }
}
