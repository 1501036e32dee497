/**
 * What every source type's serving half shares (Jetty handlers over a store): {@link ferry.store.serve.GetOrHead}.
 */
package ferry.store.serve;
