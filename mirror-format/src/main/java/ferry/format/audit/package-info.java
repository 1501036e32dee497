/**
 * The audit log both sides keep: one JSON line per command run, appended and forced to disk, never rewritten.
 * {@link ferry.format.audit.AuditLog#append} writes, {@link ferry.format.audit.AuditLog#read} reads;
 * {@link ferry.format.audit.AuditRecord} is one line. Knows no exit codes beyond recording the one it is given.
 */
package ferry.format.audit;
