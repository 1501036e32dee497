/**
 * The APT source type's export half ({@link ferry.exporter.apt.AptExport}): one suite of an upstream APT repository,
 * verified against the operator's keyring, a selection of packages closed over their dependencies, and the
 * {@code .deb} files the channel has not carried yet.
 */
package ferry.exporter.apt;
