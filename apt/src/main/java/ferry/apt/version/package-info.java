/** Debian version numbers and their order (Debian Policy 5.6.12). */
package ferry.apt.version;
