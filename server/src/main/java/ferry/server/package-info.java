/**
 * Serving the store: {@link ferry.server.StoreServer} answers downstream WSUS servers (MS-WSUSSS, through
 * {@link ferry.server.StoreCatalog}), Windows clients ({@code /Content/}, through
 * {@link ferry.server.StoreContent}) and operators (status page at {@code /} and {@code /status.json}).
 * The served process holds the store's lock: stop serving to import from another process.
 */
package ferry.server;
