/** Debian control files (deb822, Debian Policy 5.1): the syntax of Release and Packages indexes. */
package ferry.apt.deb822;
