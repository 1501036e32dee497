package ferry.format.pgp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Bounded reads of key files, so a huge or endless file (a FIFO, /dev/zero) cannot exhaust memory. */
final class KeyFiles {
    private KeyFiles() { }

    static byte[] read(Path file, long max, String what) throws KeyException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] data = in.readNBytes((int) max + 1);
            if (data.length > max) {
                throw new KeyException(file + ": " + what + " file is larger than " + max + " bytes");
            }
            return data;
        } catch (IOException e) {
            throw new KeyException(file + ": cannot read " + what + " file: " + e, e);
        }
    }
}
