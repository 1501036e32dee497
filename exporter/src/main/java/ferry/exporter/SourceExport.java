package ferry.exporter;

import ferry.format.Progress;

import java.net.URI;
import java.util.List;

/**
 * The export half of a source type (WSUS today, APT next): what to carry in the next bundle of a channel. The
 * {@link ExportJob} owns everything a bundle needs whatever its source (the state directory's lock, settling an
 * interrupted run, the output checks, the sequence reservation, writing and signing, recording the state); a source
 * type only plans: it talks to its upstream, decides what is new since the channel's last bundle, fetches the
 * files into the file cache and returns an {@link ExportPlan}. It never writes the bundle or the state itself, so
 * the crash promises of {@code package-info.java} hold for every source type.
 *
 * <p>Source types are registered in {@link SourceExports}, one line each.
 */
public interface SourceExport {

    /**
     * The source type's name, {@code [a-z0-9]+} (e.g. {@code wsus}): recorded in {@code state.json}, so that a
     * channel's state is only ever continued by the source type that wrote it, and given as {@code source} in the
     * run's result.
     */
    String name();

    /**
     * Plans one run: what the bundle carries, or that nothing is new. Called once per run, under the state
     * directory's lock, after an interrupted run was settled and the output directory checked, before a
     * sequence number is reserved.
     *
     * @param context the run's options, the channel's previous state of this source type, scratch space, file
     *                fetching, progress and warnings
     * @return the plan; {@link ExportPlan#nothing} when the channel already has everything selected
     * @throws ExportException for a failure whose cause is known (configuration, selection, upstream, download);
     *                         anything else is a bug
     */
    ExportPlan plan(Context context) throws ExportException;

    /** What the job gives a source type for one run. */
    interface Context {

        /** The run's options. */
        ExportOptions options();

        /**
         * The state this source type recorded with the channel's last bundle, as the base of a delta: null on a
         * channel's first run and for a full export ({@link ExportOptions#full()}).
         *
         * @param type the source type's state record, read with Jackson (unknown properties are refused)
         * @throws ExportConfigException naming {@code state.json} when its source part does not read as {@code type}
         */
        <T> T baseline(Class<T> type) throws ExportConfigException;

        /**
         * The state recorded with the channel's last bundle even for a full export (e.g. to warn that the upstream
         * changed); null on a channel's first run.
         *
         * @throws ExportConfigException as {@link #baseline}
         */
        <T> T recorded(Class<T> type) throws ExportConfigException;

        /** Scratch space for received documents, deleted at the end of the run (or by the next run after a kill). */
        Spool spool();

        /**
         * A directory the source type keeps between runs of its channel, {@code <stateDir>/<name()>/}, for what
         * spares the upstream work (e.g. documents that never change); not created by the job. Only this run
         * (which holds the lock) writes it. Its content must be a cache: a run must still succeed when it is gone.
         */
        java.nio.file.Path keepDir();

        /**
         * Gets files into the file cache (shared by channels, keyed by SHA-1, or SHA-256 when a file has no SHA-1), verified against their size and
         * digests: from the cache when a re-hash matches, else downloaded (retried as the options say).
         *
         * @param upstream the upstream the files belong to, for failures
         * @param files    the files, distinct
         * @return each file's verified path in the cache, and what was downloaded or taken from the cache
         * @throws DownloadException     a file that cannot be downloaded or does not match its digests
         * @throws ExportConfigException the cache cannot be written
         */
        FetchedFiles fetch(URI upstream, List<RemoteFile> files) throws ExportException;

        /** Byte progress and one-line notes. */
        Progress progress();

        /** Records a warning: logged, shown, and listed in the run's result. */
        void warn(String line);
    }
}
