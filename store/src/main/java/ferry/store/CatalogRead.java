package ferry.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A read of the catalog through {@link Store#read}: runs on a connection that sees one committed state of the
 * whole catalog (a snapshot), however many statements it runs, and is read-only.
 *
 * @param <T> the result
 */
@FunctionalInterface
public interface CatalogRead<T> {
    T read(Connection c) throws SQLException;
}
