/**
 * Serving the store: {@link ferry.importer.serve.StoreServer} answers downstream WSUS servers (MS-WSUSSS, through
 * {@link ferry.importer.serve.StoreCatalog}), Windows clients ({@code /Content/}, through
 * {@link ferry.importer.serve.StoreContent}) and operators (status page at {@code /} and {@code /status.json}).
 * The served process holds the store's lock: stop serving to import from another process.
 */
package ferry.importer.serve;
