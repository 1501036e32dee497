/**
 * Import: the isolated side's entry point for bundles.
 *
 * <p>{@link ferry.importer.Importer#importBundle(java.nio.file.Path, java.nio.file.Path,
 * ferry.format.trust.TrustStore, java.time.Instant, ferry.format.Progress)} verifies a bundle
 * (docs/bundle-format.md section 7), refuses what must not be imported, streams its entries into the store's
 * objects and commits the catalog rows in one transaction. Outcomes and exit codes (docs/architecture.md):
 *
 * <table>
 *   <caption>Outcomes</caption>
 *   <tr><th>outcome</th><th>type</th><th>exit</th></tr>
 *   <tr><td>imported</td><td>{@link ferry.importer.ImportResult}</td><td>0</td></tr>
 *   <tr><td>same bundle again (same id and manifest): nothing changed</td>
 *       <td>{@link ferry.importer.ImportResult} with {@code alreadyImported}</td><td>0</td></tr>
 *   <tr><td>verification failed, bundle changed after verification, unusable WSUS data</td>
 *       <td>{@link ferry.importer.BundleInvalidException}</td><td>1</td></tr>
 *   <tr><td>store cannot be opened, port cannot be bound</td>
 *       <td>{@link ferry.importer.ImporterException}</td><td>2</td></tr>
 *   <tr><td>replay (sequence not above the channel's last), missing base, bundle id reused by another bundle</td>
 *       <td>{@link ferry.importer.BundleRefusedException}</td><td>4</td></tr>
 *   <tr><td>store held by another run (e.g. {@code ferry serve})</td>
 *       <td>{@link ferry.importer.StoreBusyException}</td><td>5</td></tr>
 *   <tr><td>writing the store failed</td><td>{@link ferry.importer.ImporterException}</td><td>10</td></tr>
 * </table>
 *
 * <p>In every case but success the catalog is as it was; objects copied by a failed import are unreferenced and
 * deleted after the next successful import. Serving is in the server module ({@code ferry.server}).
 */
package ferry.importer;
