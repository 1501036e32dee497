package ferry.format;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Message digests every Java 17 runtime provides. */
final class Digests {
    private Digests() { }

    static MessageDigest sha256() {
        return get("SHA-256");
    }

    static MessageDigest sha1() {
        return get("SHA-1");
    }

    private static MessageDigest get(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(name + " is required by the Java platform", e);
        }
    }
}
