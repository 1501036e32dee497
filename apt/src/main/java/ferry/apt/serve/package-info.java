/** The serving half of the APT source type: {@code /apt/<channel>/dists/} and {@code /pool/} from the store. */
package ferry.apt.serve;
