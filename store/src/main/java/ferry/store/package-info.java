/**
 * The isolated side's store: {@link ferry.store.Store}.
 *
 * <p>Layout of a store directory:
 * <pre>
 * catalog.mv.db                     H2 catalog (schema: resources db/migration, Flyway; format in store_info)
 * objects/sha256/&lt;2 hex&gt;/&lt;64 hex&gt;  content-addressed objects: update metadata XML and update files
 * tmp/                              objects being written; emptied on open
 * store.lock                        held while a Store is open (holds the owner's process id)
 * </pre>
 *
 * <p>Import semantics: objects first, then one catalog transaction ({@link ferry.store.Store#commitImport}).
 * A bundle id is imported once ({@code ALREADY_IMPORTED}); a channel's sequence numbers only go up
 * ({@code REPLAY}); a delta needs its base imported ({@code MISSING_BASE}). A revision the store already has is
 * kept as first stored; a revision lower than one already stored is recorded but never becomes the update's
 * latest revision, which is always the highest revision number stored.
 *
 * <p>This package takes plain records and knows nothing of the bundle format or of MS-WSUSSS messages.
 */
package ferry.store;
