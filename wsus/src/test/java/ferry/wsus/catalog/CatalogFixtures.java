package ferry.wsus.catalog;

import ferry.format.trust.TrustPolicy;
import ferry.store.ImportRecord;
import ferry.store.Store;
import ferry.verifier.ChannelPolicy;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/** A store with the WSUS source type, and builders for WSUS rows whose objects are really in it. */
final class CatalogFixtures {
    static final String COMPANY = "56309036-4c77-4dd9-951a-99ee9c246a94";
    static final String WINDOWS_11 = "72e7624a-5b00-45d2-b92f-e561c0a6a160";
    static final String SERVER_2025 = "0e7e3a0f-7c45-4e7b-9b5e-8c8a0d4c5b10";
    static final String SECURITY = "0fa1201d-4330-4fa8-8ae9-b877473b6441";
    static final String CRITICAL = "e6cf1350-c01b-414d-a61f-263d14d133b4";
    /** The channel policy a default trust store gives. */
    static final ChannelPolicy POLICY = new ChannelPolicy(TrustPolicy.DEFAULT_MAX_SEQUENCE_JUMP);

    private CatalogFixtures() {
    }

    static Store open(Path dir) {
        return Store.open(dir, List.of(WsusTables.INSTANCE));
    }

    static WsusCatalogWrite.Result commit(Store store, ImportRecord<WsusCatalogWrite.Result> rec) {
        return store.commitImport(rec, POLICY);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String sha256(byte[] data) {
        return digest("SHA-256", data, false);
    }

    static String sha1(byte[] data) {
        return digest("SHA-1", data, true);
    }

    private static String digest(String algorithm, byte[] data, boolean upper) {
        try {
            HexFormat hex = upper ? HexFormat.of().withUpperCase() : HexFormat.of();
            return hex.formatHex(MessageDigest.getInstance(algorithm).digest(data));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Stores {@code data} and returns its SHA-256. */
    static String put(Store store, byte[] data) {
        String hex = sha256(data);
        store.putObject(new ByteArrayInputStream(data), hex, data.length);
        return hex;
    }

    /** A revision whose metadata object is stored. */
    static RevisionRecord revision(Store store, String updateId, int rev, String type, String categoryType,
                                   List<String> categories, List<String> files) {
        String md = put(store, bytes("<Update id='" + updateId + "' rev='" + rev + "'/>"));
        return new RevisionRecord(updateId, rev, type, categoryType, "Title of " + updateId, null, md, categories,
                List.of(), List.of(), List.of(), files);
    }

    static RevisionRecord category(Store store, String id, String categoryType) {
        return revision(store, id, 1, "Category", categoryType, List.of(), List.of());
    }

    /** A file whose content is stored. */
    static FileRecord file(Store store, String content, String name) {
        byte[] data = bytes(content);
        return new FileRecord(sha1(data), put(store, data), data.length, name, "http://download.example/" + name);
    }

    static ImportRecord<WsusCatalogWrite.Result> bundle(String id, String channel, long seq, Long base,
                                                        List<RevisionRecord> revisions, List<FileRecord> files) {
        return new ImportRecord<>(id, channel, seq, base, Instant.parse("2025-01-14T18:00:00Z"),
                sha256(bytes("manifest " + id)), List.of("AB12CD34EF56AB12CD34EF56AB12CD34EF56AB12"), "ferry test",
                WsusCatalogWrite.of(id, revisions, files), null);
    }

    /** Every row of every catalog table, as text, read through {@link Store#read}: equal snapshots mean an unchanged catalog. */
    static TreeMap<String, List<String>> snapshot(Store store) {
        return store.read(c -> {
            List<String> tables = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables"
                         + " WHERE table_schema = 'PUBLIC'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            TreeMap<String, List<String>> out = new TreeMap<>();
            for (String t : tables) {
                List<String> rows = new ArrayList<>();
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM \"" + t + "\"")) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        StringBuilder b = new StringBuilder();
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            b.append(rs.getString(i)).append('|');
                        }
                        rows.add(b.toString());
                    }
                }
                rows.sort(null);
                out.put(t.toLowerCase(Locale.ROOT), rows);
            }
            return out;
        });
    }
}
