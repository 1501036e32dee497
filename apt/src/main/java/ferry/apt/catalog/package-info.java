/**
 * The APT source's catalog: its tables in the store ({@link ferry.apt.catalog.AptTables}), its import half
 * ({@link ferry.apt.catalog.AptImport}: bundle entries to a new published snapshot of the channel) and its reads
 * ({@link ferry.apt.catalog.AptCatalog}: served snapshot, by-hash indexes, pool, rollback).
 */
package ferry.apt.catalog;
