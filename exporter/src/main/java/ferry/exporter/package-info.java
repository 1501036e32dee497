/**
 * The connected side's export job: {@link ferry.exporter.ExportJob#run} synchronizes a selection from an
 * MS-WSUSSS upstream server (3.2.4) and writes what the channel has not exported yet as one signed bundle
 * ({@code docs/bundle-format.md}, entry paths in {@code docs/architecture.md}).
 *
 * <h2>State directory</h2>
 * <pre>
 * stateDir/
 * ├── lock            FileChannel lock held for a whole run (never deleted)
 * ├── state.json      the channel's export state, replaced atomically after a bundle is signed
 * ├── cache/XX/SHA1   verified update files (unless another cache directory is given)
 * │   └── .partial/   downloads in progress
 * └── work-*          a run's spooled documents, deleted at its end
 * </pre>
 *
 * <h2>How "only what changed" is decided</h2>
 * Each run lists the whole selection (GetRevisionIdList without an anchor) and subtracts the revisions and file
 * SHA-1s recorded in {@code state.json}; only the difference is fetched and carried. This does not depend on the
 * upstream keeping its anchors valid, picks up newly selected products or classifications by itself, and costs one
 * list per run (the anchor is recorded for information only).
 *
 * <h2>Exit codes</h2>
 * {@link ferry.exporter.ExportException#exitCode()}: 2 configuration or selection, 3 upstream (including
 * downloads), 5 locked; any other exception is a bug (10).
 */
package ferry.exporter;
