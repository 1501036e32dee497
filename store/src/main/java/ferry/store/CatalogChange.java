package ferry.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * A change of a source type's own tables outside any import, run by {@link Store#change} in one transaction under
 * the store's single-writer lock: for what an operator decides on the isolated side (e.g. WSUS approvals), which no
 * bundle carries.
 *
 * <p>Implementations check their input against what is stored and throw a {@link RuntimeException} of their own
 * (e.g. an unknown name) to refuse: the store then rolls everything back and rethrows it unchanged.
 *
 * @param <T> what the change reports
 */
@FunctionalInterface
public interface CatalogChange<T> {
    /**
     * Makes the change on {@code c}, inside the store's transaction (auto-commit off; the store commits or rolls
     * back).
     *
     * @throws SQLException on a database error
     */
    T apply(Connection c) throws SQLException;
}
