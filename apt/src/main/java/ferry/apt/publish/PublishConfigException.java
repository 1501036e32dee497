package ferry.apt.publish;

import ferry.store.StoreException;

/**
 * The store's APT publishing configuration is unusable: its repository key cannot be read or written, or
 * {@code apt/publish.properties} holds a bad value. An operator's problem (the CLI reports it as a usage error), never
 * a bundle's; the import that met it changes nothing.
 */
public final class PublishConfigException extends StoreException {
    public PublishConfigException(String message) {
        super(message);
    }

    public PublishConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
