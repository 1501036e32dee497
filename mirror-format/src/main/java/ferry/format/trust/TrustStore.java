package ferry.format.trust;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import ferry.format.pgp.KeyException;
import ferry.format.pgp.PublicKey;
import ferry.format.pgp.PublicKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keys an isolated side trusts to sign bundles, and how many distinct signers a bundle needs.
 *
 * <p>On disk: a directory with {@code keys/*.asc} (one armored OpenPGP public key per file; other files
 * there are an error) and {@code policy.json}, a {@link TrustPolicy}: {@code {"threshold": N}} with
 * 1 &le; N &le; number of keys, and optionally {@code "maxSequenceJump"} and {@code "requireExpiry"}. Immutable once
 * loaded.
 */
public final class TrustStore {
    /** Name of the policy file. */
    public static final String POLICY = "policy.json";
    /** Name of the key directory. */
    public static final String KEYS_DIR = "keys";
    private static final int MAX_KEYS = 256;
    private static final long MAX_POLICY_BYTES = 4096;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    /** Fields of policy.json beyond {@link TrustPolicy#FIELDS}: the version and the list of trusted fingerprints. */
    private static final List<String> ROTATION_FIELDS = List.of("version", "keys");

    private final Map<String, PublicKey> keys;
    private final TrustPolicy policy;
    private final long version;

    private TrustStore(Map<String, PublicKey> keys, TrustPolicy policy, long version) {
        this.keys = Collections.unmodifiableMap(keys);
        this.policy = policy;
        this.version = version;
    }

    /** What policy.json says beyond the policy: its version (1 when absent) and the fingerprints it lists (or null). */
    private record Extra(long version, List<String> keys) { }

    /**
     * Builds a trust store in memory (tests, tools).
     *
     * @throws IllegalArgumentException if keys is empty, holds a fingerprint twice, or threshold is out of
     *         [1, keys.size()]
     */
    public static TrustStore of(List<PublicKey> keys, int threshold) {
        return of(keys, TrustPolicy.withThreshold(threshold));
    }

    /**
     * Builds a trust store in memory with a whole policy.
     *
     * @throws IllegalArgumentException if keys is empty, holds a fingerprint twice, or the policy's threshold is out
     *         of [1, keys.size()]
     */
    public static TrustStore of(List<PublicKey> keys, TrustPolicy policy) {
        int threshold = policy.threshold();
        Map<String, PublicKey> map = new LinkedHashMap<>();
        for (PublicKey k : keys) {
            if (map.put(k.fingerprint(), k) != null) {
                throw new IllegalArgumentException("key " + k.fingerprint() + " given twice");
            }
        }
        if (map.isEmpty()) {
            throw new IllegalArgumentException("a trust store needs at least one key");
        }
        if (threshold < 1 || threshold > map.size()) {
            throw new IllegalArgumentException("threshold " + threshold + " must be between 1 and " + map.size());
        }
        return new TrustStore(map, policy, 1);
    }

    /**
     * Loads a trust store directory.
     *
     * @throws TrustStoreException naming the file: missing directory or policy, a key file that does not
     *         hold exactly one public key, the same key twice, a non-.asc file in keys/, more than 256 keys,
     *         or a policy that is not exactly {"threshold": N} with 1 &le; N &le; number of keys
     */
    public static TrustStore load(Path dir) throws TrustStoreException {
        Path keyDir = dir.resolve(KEYS_DIR);
        if (!Files.isDirectory(keyDir, LinkOption.NOFOLLOW_LINKS)) {
            throw new TrustStoreException(keyDir + ": trust store key directory is missing");
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(keyDir)) {
            for (Path p : ds) {
                files.add(p);
            }
        } catch (IOException e) {
            throw new TrustStoreException(keyDir + ": cannot list: " + e, e);
        }
        files.sort(Comparator.comparing(p -> p.getFileName().toString()));
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        Map<String, Path> from = new LinkedHashMap<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (!name.endsWith(".asc") || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                throw new TrustStoreException(f + ": unexpected file in the trust store key directory "
                        + "(only regular *.asc public key files belong there)");
            }
            if (keys.size() >= MAX_KEYS) {
                throw new TrustStoreException(keyDir + ": more than " + MAX_KEYS + " keys");
            }
            PublicKey k;
            try {
                k = PublicKeys.load(f);
            } catch (KeyException e) {
                throw new TrustStoreException(e.getMessage(), e);
            }
            Path prev = from.put(k.fingerprint(), f);
            if (prev != null) {
                throw new TrustStoreException(f + ": key " + k.fingerprint() + " is also in " + prev);
            }
            keys.put(k.fingerprint(), k);
        }
        if (keys.isEmpty()) {
            throw new TrustStoreException(keyDir + ": no trusted keys (*.asc)");
        }
        TrustPolicy policy = readPolicy(dir.resolve(POLICY), keys.size()); // its own errors first
        Extra extra = readExtra(dir.resolve(POLICY));
        if (extra.keys() != null) {
            // a rotated trust store names its keys: a file not listed is not trusted (a rotation's leftover)
            Map<String, PublicKey> listed = new LinkedHashMap<>();
            for (String f : extra.keys()) {
                PublicKey k = keys.get(f);
                if (k == null) {
                    throw new TrustStoreException(dir.resolve(POLICY) + ": field 'keys': key " + f
                            + " is not in " + keyDir);
                }
                listed.put(f, k);
            }
            keys = listed;
        }
        if (policy.threshold() > keys.size()) {
            throw new TrustStoreException(dir.resolve(POLICY) + ": field 'threshold': " + policy.threshold()
                    + " must be between 1 and the number of trusted keys (" + keys.size() + ")");
        }
        return new TrustStore(keys, policy, extra.version());
    }

    /**
     * Applies a trust policy change the trust gate accepted: afterwards the store trusts exactly
     * {@code change.keys()} with {@code change.policy()}, at version {@code change.version()}.
     *
     * <p>Atomic: new key files are added first under their fingerprint's name, but are not trusted until
     * {@code policy.json}, which lists the trusted fingerprints, is replaced in one rename; only then are retired key
     * files deleted. A crash at any point leaves either the old trust or the new one (an unlisted key file is ignored).
     *
     * @throws TrustStoreException if the store cannot be read or written; it then trusts what it trusted before, or
     *         (if the failure came after the rename) the new policy
     */
    public static void apply(Path dir, TrustChange change) throws TrustStoreException {
        TrustStore current = load(dir);
        Path keyDir = dir.resolve(KEYS_DIR);
        if (readExtra(dir.resolve(POLICY)).keys() == null) {
            // make the current trust explicit first, so that adding key files changes nothing yet
            writePolicyFile(dir, current.policy(), current.version(),
                    current.keys().stream().map(PublicKey::fingerprint).toList());
        }
        Map<String, Path> files = keyFiles(keyDir);
        try {
            for (PublicKey k : change.keys()) {
                if (!files.containsKey(k.fingerprint())) {
                    Path tmp = keyDir.resolve(k.fingerprint() + ".asc.tmp");
                    writeSynced(tmp, k.armored().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    Path target = keyDir.resolve(k.fingerprint() + ".asc");
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                    files.put(k.fingerprint(), target);
                }
            }
            // the new policy may only become durable after the key files it lists: a crash in between would
            // otherwise leave a policy trusting keys whose files are empty or missing
            syncDirectory(keyDir);
        } catch (IOException e) {
            throw new TrustStoreException(keyDir + ": cannot add the new keys: " + e.getMessage(), e);
        }
        writePolicyFile(dir, change.policy(), change.version(), change.fingerprints());
        for (var e : files.entrySet()) {
            if (!change.fingerprints().contains(e.getKey())) {
                try {
                    Files.deleteIfExists(e.getValue());
                } catch (IOException ignored) {
                    // not listed in policy.json, so not trusted; a later rotation or the operator removes it
                }
            }
        }
    }

    /**
     * After a key file was added to {@code dir/keys/} by hand or by {@code ferry keys trust}: in a store whose
     * {@code policy.json} lists its keys (one a trust policy change was applied to), adds {@code fingerprint} to the
     * list so that the key is trusted; in any other store every key file is trusted already and nothing changes.
     *
     * @throws TrustStoreException if the policy cannot be read or written
     */
    public static void listKey(Path dir, String fingerprint) throws TrustStoreException {
        Extra extra = readExtra(dir.resolve(POLICY));
        if (extra.keys() == null || extra.keys().contains(fingerprint)) {
            return;
        }
        List<String> keys = new ArrayList<>(extra.keys());
        keys.add(fingerprint);
        writePolicyFile(dir, readPolicy(dir), extra.version(), keys);
    }

    /** Primary fingerprint of every key file in keys/, by fingerprint. */
    private static Map<String, Path> keyFiles(Path keyDir) throws TrustStoreException {
        Map<String, Path> out = new LinkedHashMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(keyDir, "*.asc")) {
            for (Path p : ds) {
                out.put(PublicKeys.load(p).fingerprint(), p);
            }
        } catch (IOException e) {
            throw new TrustStoreException(keyDir + ": cannot list: " + e, e);
        } catch (KeyException e) {
            throw new TrustStoreException(e.getMessage(), e);
        }
        return out;
    }

    /** The trust policy version: 1 for a store never rotated, then one more per applied {@link TrustChange}. */
    public long version() {
        return version;
    }

    /**
     * Reads {@code dir/policy.json} alone, without the keys (for editing it): the same checks as {@link #load}
     * except that the threshold is only checked to be &ge; 1, since the key count is not known here.
     *
     * @throws TrustStoreException if the file is missing, unreadable, larger than 4096 bytes or not a valid policy
     */
    public static TrustPolicy readPolicy(Path dir) throws TrustStoreException {
        return readPolicy(dir.resolve(POLICY), -1);
    }

    /**
     * Writes {@code dir/policy.json} as {@link #load} reads it: a pretty-printed JSON object with all three fields.
     * Atomic: written to {@code policy.json.tmp}, then moved over the old file.
     *
     * @throws TrustStoreException if the file cannot be written
     */
    public static void writePolicy(Path dir, TrustPolicy policy) throws TrustStoreException {
        // a rotated store's version and key list are kept: dropping the version would let old changes apply again
        Extra extra = Files.exists(dir.resolve(POLICY)) ? readExtra(dir.resolve(POLICY)) : new Extra(1, null);
        writePolicyFile(dir, policy, extra.version(), extra.keys());
    }

    private static void writePolicyFile(Path dir, TrustPolicy policy, long version, List<String> keys)
            throws TrustStoreException {
        Path target = dir.resolve(POLICY);
        Path tmp = dir.resolve(POLICY + ".tmp");
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("threshold", policy.threshold());
        doc.put("maxSequenceJump", policy.maxSequenceJump());
        doc.put("requireExpiry", policy.requireExpiry());
        if (version != 1 || keys != null) {
            doc.put("version", version);
        }
        if (keys != null) {
            doc.put("keys", keys);
        }
        try {
            writeSynced(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc));
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(dir);
        } catch (IOException e) {
            throw new TrustStoreException(target + ": cannot write: " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code bytes} to {@code file} (created or truncated) and forces them to disk, so that a rename of the file
     * that follows never makes a name durable before its content.
     */
    static void writeSynced(Path file, byte[] bytes) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
    }

    /** Forces a directory's entries (renames, new files) to disk, where the platform can open a directory. */
    static void syncDirectory(Path dir) {
        try (var ch = java.nio.channels.FileChannel.open(dir, java.nio.file.StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // a platform that cannot open a directory (Windows): the renames are still atomic
        }
    }

    /** Reads a policy file; {@code keyCount} &lt; 0 when the number of keys is not known. */
    private static TrustPolicy readPolicy(Path policy, int keyCount) throws TrustStoreException {
        JsonNode root;
        try (InputStream in = Files.newInputStream(policy)) {
            byte[] bytes = in.readNBytes((int) MAX_POLICY_BYTES + 1);
            if (bytes.length > MAX_POLICY_BYTES) {
                throw new TrustStoreException(policy + ": larger than " + MAX_POLICY_BYTES + " bytes");
            }
            try (JsonParser p = JSON.createParser(bytes)) {
                root = JSON.readTree(p);
                if (p.nextToken() != null) {
                    throw new TrustStoreException(policy + ": data after the JSON object");
                }
            }
        } catch (NoSuchFileException e) {
            throw new TrustStoreException(policy + ": trust store policy is missing (expected {\"threshold\": N})", e);
        } catch (JsonProcessingException e) {
            throw new TrustStoreException(policy + ": not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new TrustStoreException(policy + ": cannot read: " + e, e);
        }
        if (root == null || !root.isObject()) {
            throw new TrustStoreException(policy + ": must be a JSON object {\"threshold\": N}");
        }
        for (var it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!TrustPolicy.FIELDS.contains(f) && !ROTATION_FIELDS.contains(f)) {
                throw new TrustStoreException(policy + ": field '" + f + "': unknown field (known: "
                        + String.join(", ", TrustPolicy.FIELDS) + ", " + String.join(", ", ROTATION_FIELDS) + ")");
            }
        }
        JsonNode t = root.get("threshold");
        if (t == null) {
            throw new TrustStoreException(policy + ": field 'threshold': missing");
        }
        if (!t.isIntegralNumber() || !t.canConvertToInt()) {
            throw new TrustStoreException(policy + ": field 'threshold': must be an integer, is " + t);
        }
        int n = t.intValue();
        if (n < 1 || (keyCount >= 0 && n > keyCount)) {
            if (keyCount < 0) {
                throw new TrustStoreException(policy + ": field 'threshold': " + n + " must be at least 1");
            }
            throw new TrustStoreException(policy + ": field 'threshold': " + n + " must be between 1 and the number of "
                    + "trusted keys (" + keyCount + ")");
        }
        long jump = TrustPolicy.DEFAULT_MAX_SEQUENCE_JUMP;
        JsonNode j = root.get("maxSequenceJump");
        if (j != null) {
            if (!j.isIntegralNumber() || !j.canConvertToLong() || j.longValue() < 1) {
                throw new TrustStoreException(policy + ": field 'maxSequenceJump': must be an integer >= 1, is " + j);
            }
            jump = j.longValue();
        }
        boolean requireExpiry = false;
        JsonNode r = root.get("requireExpiry");
        if (r != null) {
            if (!r.isBoolean()) {
                throw new TrustStoreException(policy + ": field 'requireExpiry': must be true or false, is " + r);
            }
            requireExpiry = r.booleanValue();
        }
        return new TrustPolicy(n, jump, requireExpiry);
    }

    /** Reads the version and key list of a policy file (the rest is {@link #readPolicy}'s). */
    private static Extra readExtra(Path policy) throws TrustStoreException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readAllBytes(policy));
        } catch (IOException e) {
            throw new TrustStoreException(policy + ": cannot read: " + e.getMessage(), e);
        }
        long version = 1;
        JsonNode v = root == null ? null : root.get("version");
        if (v != null) {
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 1) {
                throw new TrustStoreException(policy + ": field 'version': must be an integer >= 1, is " + v);
            }
            version = v.longValue();
        }
        JsonNode k = root == null ? null : root.get("keys");
        if (k == null) {
            return new Extra(version, null);
        }
        if (!k.isArray()) {
            throw new TrustStoreException(policy + ": field 'keys': must be an array of key fingerprints");
        }
        List<String> keys = new ArrayList<>();
        for (JsonNode f : k) {
            if (!f.isTextual() || !f.textValue().matches("[0-9A-F]{40}") || keys.contains(f.textValue())) {
                throw new TrustStoreException(policy + ": field 'keys': " + f + " is not a distinct fingerprint"
                        + " (40 upper-case hex digits)");
            }
            keys.add(f.textValue());
        }
        return new Extra(version, List.copyOf(keys));
    }

    /** The whole policy: threshold, sequence-jump bound, whether bundles must carry an expiry. */
    public TrustPolicy policy() {
        return policy;
    }

    /** Distinct trusted signers a bundle needs, 1 &le; threshold &le; keys().size(). */
    public int threshold() {
        return policy.threshold();
    }

    /** The trusted keys, ordered by file name (or as given). */
    public List<PublicKey> keys() {
        return List.copyOf(keys.values());
    }

    /** The trusted key with this primary fingerprint (40 upper-case hex), if any. */
    public Optional<PublicKey> key(String fingerprint) {
        return Optional.ofNullable(keys.get(fingerprint));
    }
}
