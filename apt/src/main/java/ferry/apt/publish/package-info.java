/** The publishing half of the APT source type: the indexes and the signed Release of a served repository. */
package ferry.apt.publish;
