/** The client half of the APT source type: reading an upstream suite's signed Release and its Packages indexes. */
package ferry.apt.fetch;
