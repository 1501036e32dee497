package ferry.format.pgp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import org.bouncycastle.bcpg.BCPGOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;

/**
 * Clearsigned messages (RFC 4880 section 7), as an APT repository's {@code InRelease}: the text readable as is,
 * followed by a text-document signature (type 0x01, SHA-256) over its canonical form.
 */
public final class ClearSigned {

    private ClearSigned() {
    }

    /**
     * @param text the text to sign: UTF-8, {@code \n} line ends; a final line end is added when missing
     * @return the clearsigned message, ASCII armor with {@code \n} line ends
     * @throws IllegalArgumentException if the text holds a carriage return (its lines would not survive the armor)
     */
    public static String sign(SigningKey key, String text) {
        if (text.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("clearsigned text must use \\n line ends");
        }
        String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        String[] lines = body.split("\n", -1);
        // RFC 4880 7.1: signed are the lines without trailing blanks, joined by CRLF, without a final line end
        StringBuilder canonical = new StringBuilder();
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            canonical.append(line.replaceAll("[ \t]+$", ""));
            if (i < lines.length - 1) {
                canonical.append("\r\n");
            }
            shown.append(line.startsWith("-") ? "- " + line : line).append('\n');
        }
        try {
            PGPPublicKey pub = key.signingPublicKey();
            PGPSignatureGenerator gen = new PGPSignatureGenerator(
                    new BcPGPContentSignerBuilder(pub.getAlgorithm(), HashAlgorithmTags.SHA256));
            gen.init(PGPSignature.CANONICAL_TEXT_DOCUMENT, key.privateKey());
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setSignatureCreationTime(false, new Date());
            hashed.setIssuerFingerprint(false, pub);
            hashed.setIssuerKeyID(false, pub.getKeyID());
            gen.setHashedSubpackets(hashed.generate());
            gen.update(canonical.toString().getBytes(StandardCharsets.UTF_8));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (BCPGOutputStream bc = new BCPGOutputStream(out)) {
                gen.generate().encode(bc);
            }
            return "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n" + shown
                    + Armor.encode(Armor.SIGNATURE, out.toByteArray());
        } catch (PGPException | IOException e) {
            throw new IllegalStateException("signing failed: " + e.getMessage(), e);
        }
    }
}
