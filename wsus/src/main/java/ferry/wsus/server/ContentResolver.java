package ferry.wsus.server;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Maps a content URL {@code /Content/<XX>/<SHA1HEX>.<ext>} to a local file. {@code XX} is the last two hex
 * digits of the 40-digit upper-case SHA-1 of the file. Implementations must be thread-safe and may remember what they
 * found: {@link ContentHandler} checks per request that the file is there.
 */
public interface ContentResolver {

    /**
     * @param sha1Hex 40 upper-case hex digits, already validated by the caller
     * @return the file whose SHA-1 is {@code sha1Hex}, or empty if this server does not hold it; a file that has
     *         gone meanwhile is answered with 404
     */
    Optional<Path> resolve(String sha1Hex);
}
