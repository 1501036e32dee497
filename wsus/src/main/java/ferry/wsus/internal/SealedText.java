package ferry.wsus.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Text made unforgeable, for the opaque cookies of MS-WSUSSS and MS-WUSP: {@code base64(payload || HMAC-SHA256(key,
 * payload))}. Nothing is encrypted; only the holder of the key can make text that {@link #open} accepts.
 * Thread-safe.
 */
public final class SealedText {
    private static final int MAC_BYTES = 32;

    private final byte[] key;

    /** @param key at least 32 bytes */
    public SealedText(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("key of " + key.length + " bytes; at least 32 are needed");
        }
        this.key = key.clone();
    }

    /** The payload (UTF-8) with its MAC, in base64. */
    public String seal(String payload) {
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(p, p.length + MAC_BYTES);
        System.arraycopy(mac(p), 0, out, p.length, MAC_BYTES);
        return Base64.getEncoder().encodeToString(out);
    }

    /**
     * The payload of text {@link #seal} made with this key; empty for null, empty, longer than {@code maxChars},
     * not base64, or not sealed with this key.
     */
    public Optional<String> open(String sealed, int maxChars) {
        if (sealed == null || sealed.isEmpty() || sealed.length() > maxChars) {
            return Optional.empty();
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(sealed.trim());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (raw.length <= MAC_BYTES) {
            return Optional.empty();
        }
        byte[] payload = Arrays.copyOf(raw, raw.length - MAC_BYTES);
        if (!MessageDigest.isEqual(Arrays.copyOfRange(raw, raw.length - MAC_BYTES, raw.length), mac(payload))) {
            return Optional.empty();
        }
        return Optional.of(new String(payload, StandardCharsets.UTF_8));
    }

    /**
     * The payload of sealed text without checking its MAC: only to tell whose text it claims to be (e.g. another
     * server's cookie), never to act on what it says. Empty for text that is not base64 of more than a MAC.
     */
    public static Optional<String> unverified(String sealed, int maxChars) {
        if (sealed == null || sealed.isEmpty() || sealed.length() > maxChars) {
            return Optional.empty();
        }
        try {
            byte[] raw = Base64.getDecoder().decode(sealed.trim());
            return raw.length <= MAC_BYTES ? Optional.empty()
                    : Optional.of(new String(raw, 0, raw.length - MAC_BYTES, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
