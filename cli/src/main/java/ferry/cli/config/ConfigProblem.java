package ferry.cli.config;

import java.nio.file.Path;

/**
 * One error in a configuration file.
 *
 * @param file    the file
 * @param line    1-based line, or 0 when unknown
 * @param column  1-based column, or 0 when unknown
 * @param field   the field at fault, e.g. {@code jobs.nightly.selection} or {@code selections.monthly.products[1]}
 * @param message what is wrong with it
 */
public record ConfigProblem(Path file, int line, int column, String field, String message) {
    /** {@code FILE:LINE:COLUMN: FIELD: MESSAGE} on one line, as compilers print errors. */
    @Override
    public String toString() {
        String where = line > 0 ? file + ":" + line + ":" + column : file.toString();
        return (where + ": " + (field.isEmpty() ? "" : field + ": ") + message).replace('\n', ' ').replace('\r', ' ');
    }
}
