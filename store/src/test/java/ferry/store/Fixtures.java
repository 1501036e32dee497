package ferry.store;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
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

/** Builders for import records whose objects are really in the store, and a catalog snapshot. */
final class Fixtures {
    private Fixtures() {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String sha1(byte[] data) {
        try {
            return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Where objects go: {@link Store#putObject} or {@link PendingImport#putObject}. */
    @FunctionalInterface
    interface Sink {
        Path put(InputStream in, String sha256, long size);
    }

    /** Stores {@code data} and returns its SHA-256. */
    static String put(Store store, byte[] data) {
        return put(store::putObject, data);
    }

    static String put(Sink sink, byte[] data) {
        String hex = sha256(data);
        sink.put(new ByteArrayInputStream(data), hex, data.length);
        return hex;
    }

    /** Opens (or creates) the store in {@code dir} with the probe source type. */
    static Store open(Path dir) {
        return Store.open(dir, List.of(ProbeSource.INSTANCE));
    }

    /** An item whose object ({@code content}) is stored. */
    static ProbeWrite.Item item(Store store, String id, String content, String... tags) {
        return item(store::putObject, id, content, tags);
    }

    static ProbeWrite.Item item(Sink sink, String id, String content, String... tags) {
        byte[] data = bytes(content);
        return new ProbeWrite.Item(id, put(sink, data), data.length, id + ".bin", List.of(tags));
    }

    /** Every file under the store's {@code objects/}, as paths relative to it. */
    static java.util.TreeSet<String> objectFiles(Path storeDir) {
        try (var s = java.nio.file.Files.walk(storeDir.resolve("objects"))) {
            java.util.TreeSet<String> out = new java.util.TreeSet<>();
            s.filter(java.nio.file.Files::isRegularFile).forEach(p -> out.add(storeDir.relativize(p).toString()));
            return out;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static ImportRecord<ProbeWrite.Result> bundle(String id, String channel, long seq, Long base,
                                                  List<ProbeWrite.Item> items) {
        return record(id, channel, seq, base, ProbeWrite.of(id, items));
    }

    static <R extends CatalogWrite.Result> ImportRecord<R> record(String id, String channel, long seq, Long base,
                                                                   CatalogWrite<R> write) {
        return new ImportRecord<>(id, channel, seq, base, Instant.parse("2025-01-14T18:00:00Z"),
                sha256(bytes("manifest " + id)), List.of("AB12CD34EF56AB12CD34EF56AB12CD34EF56AB12"), "ferry test",
                write, null);
    }

    /** Every row of every catalog table, as text: equal snapshots mean an unchanged catalog. */
    static TreeMap<String, List<String>> snapshot(Store store) {
        return store.query(c -> {
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
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT * FROM \"" + t + "\"")) {
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
