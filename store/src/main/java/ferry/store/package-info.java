/**
 * The isolated side's store: {@link ferry.store.Store}.
 *
 * <p>Layout of a store directory:
 * <pre>
 * store.id                          marker "ferry store &lt;id&gt;": a store lives here (same id as store_info.store_id)
 * catalog.mv.db                     H2 catalog (schema: resources ferry/store/migration and each source type's, Flyway)
 * objects/sha256/&lt;2 hex&gt;/&lt;64 hex&gt;  content-addressed objects: what bundles carried (e.g. update metadata, files)
 * journal/&lt;import id&gt;.objects      objects an unfinished import wrote (the only objects ferry may delete)
 * quarantine/&lt;64 hex&gt;               objects {@link ferry.store.Store#check} found damaged; never served
 * tmp/                              objects being written; emptied when the writer opens the store
 * store.lock                        the one writer's lock: an import or a check (holds its process id)
 * serve.lock                        the one server's lock (holds its process id)
 * catalog.lock.db                   H2's: where the catalog is shared with the other process (loopback, with a key)
 * </pre>
 *
 * <p>A store is opened exclusively ({@link ferry.store.Store#open}), as its writer
 * ({@link ferry.store.Store#openForImport}) or for serving ({@link ferry.store.Store#openForServing}, read-only); one
 * writer and one server may have it open at once, in two processes, sharing the catalog through H2's automatic mixed
 * mode ({@code Catalog}).
 *
 * <p>A directory with {@code store.id} or objects is only opened with its own catalog
 * ({@link ferry.store.StoreDamagedException} otherwise). Objects are deleted only as the import journal allows:
 * written by an import that is over, referenced by no catalog row, used by no running import
 * ({@link ferry.store.PendingImport}). See docs/store.md.
 *
 * <p>Import semantics: objects first, then one catalog transaction ({@link ferry.store.Store#commitImport}).
 * A bundle id is imported once ({@code ALREADY_IMPORTED}); a channel's sequence numbers only go up
 * ({@code REPLAY}); a delta needs its base imported ({@code MISSING_BASE}); the channel policy of the trust gate
 * decides, inside the transaction.
 *
 * <p>This package knows no source type. A source type (WSUS, APT) plugs in through {@link ferry.store.SourceCatalog}
 * (its tables, migrations and object references), {@link ferry.store.CatalogWrite} (its rows of one import) and
 * {@link ferry.store.SourceImport} (its bundle entries), and reads its tables through
 * {@link ferry.store.Store#read}.
 */
package ferry.store;
