/** Which packages an APT selection carries: the dependency closure over the mirrored indexes. */
package ferry.apt.select;
