package ferry.exporter.wsus;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import ferry.exporter.ExportConfigException;
import ferry.format.Progress;
import ferry.wsus.UpdateIdentity;
import ferry.wsus.metadata.MetadataException;
import ferry.wsus.metadata.UpdateDocument;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The upstream's category, classification and detectoid documents (GetRevisionIdList with GetConfig=true),
 * kept between runs in {@code <stateDir>/wsus/config/} so that a nightly export against Microsoft Update fetches
 * only the few that changed instead of thousands. A revision's document never changes, so a held one is as good
 * as a fetched one; each is checked against its SHA-256 and its identity when loaded, and a damaged one is
 * fetched again.
 *
 * <p>{@code index.json} names the upstream, the anchor of the GetRevisionIdList that the held set answers, and
 * each held revision with its SHA-256. The anchor lives here, not in {@code state.json}, because it is only
 * meaningful together with these documents: without them a run must list everything. An index that is missing,
 * unreadable, of another upstream, or that names a document no longer on disk makes the next run list everything
 * (and fetch only what it does not hold).
 */
final class HeldConfig {

    /** @param documents held revisions ({@code <updateId>-r<revision>}) with the SHA-256 (hex) of their UTF-8 text */
    record Index(int formatVersion, String upstream, String anchor, Map<String, String> documents) {
    }

    private static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path dir;
    private final Map<UpdateIdentity, FetchedUpdate> documents;
    private final Map<UpdateIdentity, String> digests;
    private final String anchor;

    private HeldConfig(Path dir, Map<UpdateIdentity, FetchedUpdate> documents, Map<UpdateIdentity, String> digests,
                       String anchor) {
        this.dir = dir;
        this.documents = documents;
        this.digests = digests;
        this.anchor = anchor;
    }

    private static HeldConfig none(Path dir) {
        return new HeldConfig(dir, Map.of(), Map.of(), null);
    }

    /**
     * Loads what is held for {@code upstream}. Never fails for damage: what does not check out is simply not held.
     *
     * @param dir      {@code <stateDir>/wsus/config}
     * @param upstream the upstream's base URL
     */
    static HeldConfig load(Path dir, String upstream, Progress progress) {
        Index index;
        try {
            index = JSON.readValue(dir.resolve("index.json").toFile(), Index.class);
        } catch (IOException e) {
            return none(dir);
        }
        if (index.formatVersion() != FORMAT_VERSION || !upstream.equals(index.upstream()) || index.documents() == null) {
            return none(dir);
        }
        Map<UpdateIdentity, FetchedUpdate> held = new LinkedHashMap<>();
        Map<UpdateIdentity, String> digests = new LinkedHashMap<>();
        boolean complete = true;
        for (Map.Entry<String, String> e : index.documents().entrySet()) {
            FetchedUpdate u = read(dir, e.getKey(), e.getValue());
            if (u == null) {
                complete = false;
            } else {
                held.put(u.identity(), u);
                digests.put(u.identity(), e.getValue());
            }
        }
        if (!complete) {
            progress.info("held category documents in " + dir + " are incomplete; listing every one again");
        }
        return new HeldConfig(dir, held, digests, complete ? index.anchor() : null);
    }

    private static FetchedUpdate read(Path dir, String id, String sha256) {
        try {
            UpdateIdentity identity = WsusState.parseIdentity(id);
            Path file = dir.resolve(identity + ".xml");
            byte[] bytes = Files.readAllBytes(file);
            if (!HexFormat.of().formatHex(sha256(bytes)).equals(sha256)) {
                return null;
            }
            UpdateDocument doc = UpdateDocument.parse(new String(bytes, StandardCharsets.UTF_8));
            if (!doc.identity().equals(identity)) {
                return null;
            }
            return FetchedUpdate.of(doc, Map.of(), file, bytes.length);
        } catch (IOException | IllegalArgumentException | MetadataException e) {
            return null;
        }
    }

    /** The held documents by revision. */
    Map<UpdateIdentity, FetchedUpdate> documents() {
        return documents;
    }

    /** The anchor to list only what changed since the held set, or null when everything must be listed. */
    String anchor() {
        return anchor;
    }

    /**
     * Keeps {@code all} (held and newly fetched documents) with the anchor of the listing they answer; removes
     * held documents no longer among them. The index is replaced last and atomically, so a run killed halfway
     * leaves either the old index or the new one, and every document the index names on disk.
     *
     * @throws ExportConfigException the directory cannot be written
     */
    void save(String upstream, Map<UpdateIdentity, FetchedUpdate> all, String newAnchor) throws ExportConfigException {
        Map<String, String> index = new TreeMap<>();
        try {
            Files.createDirectories(dir);
            for (FetchedUpdate u : all.values()) {
                String known = digests.get(u.identity());
                if (known != null && documents.get(u.identity()) == u) {
                    index.put(u.identity().toString(), known);
                    continue;
                }
                Path target = dir.resolve(u.identity() + ".xml");
                byte[] bytes = Files.readAllBytes(u.spooled());
                Path tmp = dir.resolve(u.identity() + ".xml.tmp");
                Files.write(tmp, bytes);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                index.put(u.identity().toString(), HexFormat.of().formatHex(sha256(bytes)));
            }
            Path tmp = dir.resolve("index.json.tmp");
            JSON.writeValue(tmp.toFile(), new Index(FORMAT_VERSION, upstream, newAnchor, index));
            Files.move(tmp, dir.resolve("index.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.toList()) {
                    String name = p.getFileName().toString();
                    if (name.endsWith(".tmp")
                            || name.endsWith(".xml") && !index.containsKey(name.substring(0, name.length() - 4))) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new ExportConfigException("cannot keep the upstream's category documents in " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
