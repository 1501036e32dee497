/**
 * APT repository indexes: a suite's {@code Release} file and its {@code Packages} entries with their relations.
 * Every path taken from an index is checked to stay below the repository root.
 */
package ferry.apt.index;
