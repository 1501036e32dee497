package ferry.apt.trust;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;

/**
 * The OpenPGP keys an operator trusts to sign an upstream APT repository's Release files: a binary keyring
 * ({@code .gpg}, as in {@code /usr/share/keyrings}) or armored keys ({@code .asc}), one or many. Immutable.
 */
public final class UpstreamKeyring {
    /** Largest keyring file read, in bytes (Debian's archive keyring is about 100 KiB). */
    public static final int MAX_BYTES = 16 * 1024 * 1024;

    private final List<PGPPublicKeyRing> rings;
    private final String name;

    private UpstreamKeyring(List<PGPPublicKeyRing> rings, String name) {
        this.rings = List.copyOf(rings);
        this.name = name;
    }

    /**
     * @throws ReleaseSignatureException if the file is missing, over {@link #MAX_BYTES}, or holds no public key
     */
    public static UpstreamKeyring load(Path file) throws ReleaseSignatureException {
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new ReleaseSignatureException("keyring " + file + " is " + size + " bytes, over " + MAX_BYTES);
            }
            return parse(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new ReleaseSignatureException("keyring " + file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Parses keyring bytes, binary or armored (several armored blocks may follow each other). */
    public static UpstreamKeyring parse(byte[] bytes, String name) throws ReleaseSignatureException {
        List<PGPPublicKeyRing> rings = new ArrayList<>();
        try {
            if (armored(bytes)) {
                // each armored block in turn; ArmoredInputStream stops at the end of one block
                InputStream in = new ByteArrayInputStream(bytes);
                while (in.available() > 0) {
                    ArmoredInputStream armor = new ArmoredInputStream(in);
                    byte[] block = armor.readAllBytes();
                    if (block.length == 0) {
                        break;
                    }
                    addRings(block, rings);
                }
            } else {
                addRings(bytes, rings);
            }
        } catch (IOException | PGPException | RuntimeException e) {
            throw new ReleaseSignatureException("keyring " + name + ": not an OpenPGP keyring: " + e.getMessage(), e);
        }
        if (rings.isEmpty()) {
            throw new ReleaseSignatureException("keyring " + name + " holds no public key");
        }
        return new UpstreamKeyring(rings, name);
    }

    private static void addRings(byte[] binary, List<PGPPublicKeyRing> rings) throws IOException, PGPException {
        PGPPublicKeyRingCollection c = new PGPPublicKeyRingCollection(binary, new BcKeyFingerprintCalculator());
        for (Iterator<PGPPublicKeyRing> it = c.getKeyRings(); it.hasNext(); ) {
            rings.add(it.next());
        }
    }

    private static boolean armored(byte[] bytes) {
        int n = Math.min(bytes.length, 64);
        return new String(bytes, 0, n, java.nio.charset.StandardCharsets.US_ASCII).stripLeading()
                .startsWith("-----BEGIN PGP");
    }

    /** The key (primary or subkey) with this 64-bit key id, with its certificate, or null. */
    Found find(long keyId) {
        for (PGPPublicKeyRing ring : rings) {
            PGPPublicKey k = ring.getPublicKey(keyId);
            if (k != null) {
                return new Found(ring, k);
            }
        }
        return null;
    }

    record Found(PGPPublicKeyRing ring, PGPPublicKey key) {
        PGPPublicKey primary() {
            return ring.getPublicKey();
        }
    }

    /** Upper-case hex fingerprints of the primary keys, in file order. */
    public List<String> fingerprints() {
        return rings.stream().map(r -> HexFormat.of().withUpperCase().formatHex(r.getPublicKey().getFingerprint()))
                .toList();
    }

    /** The file or name the keyring was read from. */
    public String name() {
        return name;
    }
}
