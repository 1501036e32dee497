package ferry.exporter;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.SplittableRandom;

/** Update files with deterministic pseudo-random bytes, so their digests in the test metadata are real. */
final class TestFiles {

    record Generated(String fileName, long size, Path path, String sha1Base64, String sha256Base64, String sha1Hex) {
    }

    private TestFiles() {
    }

    static Generated generate(Path dir, String fileName, long size, long seed) throws Exception {
        Files.createDirectories(dir);
        Path p = dir.resolve(seed + "-" + fileName);
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        SplittableRandom random = new SplittableRandom(seed);
        byte[] block = new byte[8192];
        try (OutputStream out = Files.newOutputStream(p)) {
            for (long left = size; left > 0; ) {
                int n = (int) Math.min(block.length, left);
                for (int i = 0; i < n; i++) {
                    block[i] = (byte) random.nextInt(256);
                }
                out.write(block, 0, n);
                sha1.update(block, 0, n);
                sha256.update(block, 0, n);
                left -= n;
            }
        }
        byte[] d1 = sha1.digest();
        return new Generated(fileName, size, p, Base64.getEncoder().encodeToString(d1),
                Base64.getEncoder().encodeToString(sha256.digest()), HexFormat.of().withUpperCase().formatHex(d1));
    }

    /** A copy of {@code g} with one byte flipped in the middle: same size, wrong digests. */
    static Path corrupted(Generated g) throws IOException {
        Path p = g.path().resolveSibling("corrupt-" + g.path().getFileName());
        byte[] b = Files.readAllBytes(g.path());
        b[b.length / 2] ^= 0x40;
        Files.write(p, b);
        return p;
    }
}
