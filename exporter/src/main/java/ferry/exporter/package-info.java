/**
 * The connected side's export job: {@link ferry.exporter.ExportJob#run} asks the channel's source type what the
 * channel has not exported yet and writes it as one signed bundle ({@code docs/bundle-format.md}, entry paths in
 * {@code docs/architecture.md}).
 *
 * <h2>The seam: source types</h2>
 * This package knows no source type. A source type implements {@link ferry.exporter.SourceExport} and is
 * registered with one line in {@link ferry.exporter.SourceExports}; WSUS's is {@link ferry.exporter.wsus.WsusExport}
 * (MS-WSUSSS sync, selection, closure, only-what-changed). The job owns what every bundle needs: the lock, settling
 * a killed run, the output checks, the sequence reservation, writing and signing, the state, abandoning on
 * failure, and the shared infrastructure a source type borrows through its {@code Context} (the spool, the file
 * cache and downloader). A source type returns an {@link ferry.exporter.ExportPlan}: the entries, the manifest's
 * {@code selection}, its part of the next state, its figures, or nothing new. It never writes the bundle or the
 * state, so the promises below hold for every source type.
 *
 * <h2>State directory</h2>
 * <pre>
 * stateDir/
 * ├── lock              FileChannel lock held for a whole run (never deleted)
 * ├── state.json        the channel's export state ({@code ExportState}, format 3): the last bundle recorded, the
 * │                     source type and its part ({@code sourceState}, for WSUS everything exported so far and
 * │                     the upstream's anchors); formats 1 and 2 are read and upgraded ({@code StateFormats})
 * ├── pending.json      a sequence number reserved for a bundle not yet recorded (see below)
 * ├── *.json.tmp-*      a state or pending file being written (synced, then renamed over the real one)
 * ├── cache/XX/SHA1     verified files of any source type, by SHA-1 (unless another cache directory is given)
 * │   ├── sha256/xx/SHA256  files whose source names them by SHA-256 only (APT's .deb files)
 * │   └── .partial/OWNER/  downloads in progress, one directory per state directory using the cache
 * ├── wsus/config/      the upstream's category documents and index.json, kept between runs (a cache:
 * │                     {@code HeldConfig}; a run succeeds without it)
 * └── work-*            a run's spooled documents, deleted at its end
 * </pre>
 * Next to the output directory {@code out}, the bundle is written in {@code .<out>.ferry-staging-<bundleId>}
 * and renamed to {@code out} in one step ({@link ferry.format.BundleWriter}).
 *
 * <h2>How "only what changed" is decided</h2>
 * By the source type, from its part of the state: see {@link ferry.exporter.wsus.WsusExport} for WSUS. A full
 * export ({@code --full}) hands it no previous state.
 *
 * <h2>A run can be killed anywhere: the state machine</h2>
 * The promises: a bundle directory is complete or absent; no two bundles of a channel ever carry the same
 * sequence number; the next run (it holds the lock, so nothing it deletes belongs to a live run) removes
 * everything a killed run left. A run goes through these states, each entered by one atomic rename or delete
 * of a synced file:
 * <ol>
 *   <li><b>idle</b>: {@code state.json} records sequence L (or is absent: L = 0), no {@code pending.json}.</li>
 *   <li><b>reserved</b>: {@code pending.json} names sequence N = max(L, any lost reservation) + 1, the bundle id,
 *       the output and staging directories, and the state to record. Written before the staging directory is
 *       created, so every staging directory is named by a reservation.</li>
 *   <li><b>placed</b>: the staging directory, all synced, is renamed to the output directory: the bundle is
 *       visible.</li>
 *   <li><b>recorded</b>: {@code state.json} is replaced by the reserved state (last sequence N).</li>
 *   <li><b>idle</b> again: {@code pending.json} is deleted.</li>
 * </ol>
 * At its start, every run settles what a killed one left ({@code InterruptedRun}): it deletes temporary state
 * files, the spool ({@code work-*}), its own partial downloads and the reservation's staging directory; then
 * <ul>
 *   <li>a reservation at or below the recorded sequence (killed between recorded and idle) is deleted;</li>
 *   <li>a reserved bundle that is in place, whose manifest names the reservation's id, channel and sequence,
 *       is signed by one of this run's keys and has all its volumes, is <b>adopted</b>: its state is recorded
 *       (killed between placed and recorded). The operator is told, and the next bundle builds on it;</li>
 *   <li>otherwise the bundle is <b>lost</b> (killed before placed, or the bundle was moved away): the
 *       reservation is marked lost and kept, so its sequence number is never used again, even though that bundle
 *       may exist somewhere. The next bundle gets N + 1 with the last recorded bundle as its base, which the
 *       isolated side accepts whether or not it imported N.</li>
 * </ul>
 * A run that fails with an exception cleans up at once: the writer deletes its staging directory, a bundle
 * already placed is deleted again (nothing is left in the output on failure) but its number stays reserved,
 * and a reservation whose bundle never left staging is released.
 *
 * <p>{@code CrashPoints} names the steps in between; {@code ExportCrashTest} kills a real export in a child JVM
 * at 20 of them (100 with {@code -Dferry.crash.points=100}) and checks these promises after the next run.
 *
 * <h2>Failures</h2>
 * {@link ferry.exporter.ExportException} and its subclasses say whose fault a failure is (configuration or
 * selection, upstream, locked), for the job and every source type alike; the command line maps them to exit codes. Any other exception is a bug.
 */
package ferry.exporter;
