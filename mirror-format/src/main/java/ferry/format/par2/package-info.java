/**
 * PAR 2.0 recovery data (the Parity Volume Set Specification 2.0, as par2cmdline implements it): recovery files
 * beside a bundle from which damaged or missing files are rebuilt, readable by {@code par2 verify} and
 * {@code par2 repair}.
 *
 * <ul>
 *   <li>{@link ferry.format.par2.RecoveryWriter} writes a recovery set (specification: "Main packet", "File
 *       Description packet", "Input File Slice Checksum packet", "Recovery Slice packet", "Creator packet");</li>
 *   <li>{@link ferry.format.par2.RecoveryRepair} checks the files slice by slice and rebuilds lost slices by solving
 *       the Reed-Solomon system (specification: "Reed-Solomon coding"; the matrix is the Vandermonde-like one of
 *       the input-slice constants raised to the recovery exponents);</li>
 *   <li>{@code Gf16}: GF(2^16) with the generator 0x1100B; {@code Packets}: the packet header (magic
 *       {@code PAR2\0PKT}, length, MD5 of the packet from the recovery set id on, recovery set id, type);
 *       {@code SourceFile}: the hashes of one input file (MD5 of the file, of its first 16 KiB, file id, per-slice
 *       MD5 and CRC-32).</li>
 * </ul>
 * No Java library for PAR 2.0 or for its GF(2^16) Reed-Solomon code exists on Maven Central; this package is
 * small, follows the specification, and is tested against the real par2cmdline in both directions
 * ({@code RecoveryInteropTest}). Recovery data is unsigned: callers trust only what verifies afterwards.
 */
package ferry.format.par2;
