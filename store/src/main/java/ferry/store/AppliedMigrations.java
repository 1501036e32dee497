package ferry.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * The cheap check that lets a store open without Flyway: whether a catalog's Flyway history already records every
 * migration this build knows, each applied successfully with the same checksum, and nothing else.
 *
 * <p>Flyway's own validate + migrate on an up-to-date catalog scans the migration locations, parses the scripts,
 * locks the history table and compares (about a second and a half of CPU per command, most of it compiling Flyway's
 * code). This does the same comparison with one query per history table. It only ever says "up to date" when
 * Flyway's validate would pass and its migrate would do nothing: the same scripts (version, description, script
 * name, Flyway's checksum), all applied successfully, no other row but a baseline at version 0 where one is
 * allowed (and Flyway's note that it created the table). Anything else (a new catalog, a pending, failed, unknown or changed migration, a location it cannot
 * list, a file Flyway would read differently) answers "not known to be up to date", and the caller runs Flyway,
 * which migrates or refuses exactly as before.
 *
 * <p>Thread-safe; the scripts of a location are read once per process.
 */
final class AppliedMigrations {
    /** One versioned SQL migration as Flyway records it in its history table. */
    record Script(String version, String description, String script, int checksum) {
    }

    // Flyway's default naming of a versioned SQL migration: V<version>__<description>.sql, version parts split by
    // '.' or '_'
    private static final Pattern VERSIONED = Pattern.compile("V([0-9]+(?:[._][0-9]+)*)__([A-Za-z0-9_]+)\\.sql");
    private static final String CLASSPATH = "classpath:";
    // location -> its scripts, or UNLISTABLE
    private static final Map<String, List<Script>> KNOWN = new ConcurrentHashMap<>();
    private static final List<Script> UNLISTABLE = Collections.unmodifiableList(new ArrayList<>());

    private AppliedMigrations() {
    }

    /**
     * Whether history table {@code table} records exactly the migrations at {@code location}, all applied.
     *
     * @param baseline whether a Flyway baseline row at version 0 may precede them (source types' tables)
     * @return false whenever the answer is not certain; never throws for a missing table or an unreadable location
     */
    static boolean upToDate(Connection c, ClassLoader loader, String location, String table, boolean baseline) {
        List<Script> known = KNOWN.computeIfAbsent(location, l -> {
            List<Script> scripts = list(loader, l);
            return scripts == null ? UNLISTABLE : scripts;
        });
        if (known == UNLISTABLE || known.isEmpty()) {
            return false;
        }
        Map<String, Script> byVersion = new HashMap<>();
        known.forEach(s -> byVersion.put(s.version(), s));
        Set<String> applied = new HashSet<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT \"version\", \"description\", \"type\", \"script\", \"checksum\","
                     + " \"success\" FROM \"" + table + "\"")) {
            while (rs.next()) {
                String version = rs.getString(1);
                String type = rs.getString(3);
                int checksum = rs.getInt(5);
                boolean noChecksum = rs.wasNull();
                boolean success = rs.getBoolean(6);
                if (!success) {
                    return false;
                }
                if ("TABLE".equals(type) && version == null) {
                    continue; // Flyway's note that it created the history table
                }
                if (baseline && "BASELINE".equals(type) && "0".equals(version)) {
                    continue;
                }
                Script script = version == null ? null : byVersion.get(version);
                if (script == null || !"SQL".equals(type) || noChecksum || checksum != script.checksum()
                        || !script.description().equals(rs.getString(2)) || !script.script().equals(rs.getString(4))
                        || !applied.add(version)) {
                    return false;
                }
            }
        } catch (SQLException e) {
            return false; // no history table yet (a new catalog), or unreadable: Flyway decides
        }
        return applied.size() == known.size();
    }

    /**
     * The versioned SQL migrations at a Flyway {@code classpath:} location, or null if it cannot be listed exactly
     * (more than one class-path entry holds it, an entry that is not a directory or jar, a sub-directory, a file
     * not named as a versioned SQL migration).
     */
    static List<Script> list(ClassLoader loader, String location) {
        if (!location.startsWith(CLASSPATH)) {
            return null;
        }
        String path = location.substring(CLASSPATH.length());
        try {
            Enumeration<URL> urls = loader.getResources(path);
            if (!urls.hasMoreElements()) {
                return null;
            }
            URL url = urls.nextElement();
            if (urls.hasMoreElements()) {
                return null;
            }
            List<String> names = names(url, path);
            if (names == null) {
                return null;
            }
            List<Script> scripts = new ArrayList<>();
            for (String name : names) {
                Matcher m = VERSIONED.matcher(name);
                if (!m.matches()) {
                    return null;
                }
                try (InputStream in = loader.getResourceAsStream(path + "/" + name)) {
                    if (in == null) {
                        return null;
                    }
                    scripts.add(new Script(m.group(1).replace('_', '.'), m.group(2).replace('_', ' '), name,
                            checksum(in)));
                }
            }
            return scripts;
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    // The file names directly inside the location; null if there is anything else (a sub-directory).
    private static List<String> names(URL url, String path) throws IOException, URISyntaxException {
        List<String> names = new ArrayList<>();
        if ("file".equals(url.getProtocol())) {
            try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    if (!Files.isRegularFile(f)) {
                        return null;
                    }
                    names.add(f.getFileName().toString());
                }
            }
            return names;
        }
        if ("jar".equals(url.getProtocol())) {
            URLConnection connection = url.openConnection();
            if (!(connection instanceof JarURLConnection jarConnection)) {
                return null;
            }
            String prefix = path.endsWith("/") ? path : path + "/";
            try (JarFile jar = new JarFile(Path.of(jarConnection.getJarFileURL().toURI()).toFile())) {
                for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                    String entry = entries.nextElement().getName();
                    if (!entry.startsWith(prefix) || entry.equals(prefix)) {
                        continue;
                    }
                    String rest = entry.substring(prefix.length());
                    if (rest.contains("/")) {
                        return null;
                    }
                    names.add(rest);
                }
            }
            return names;
        }
        return null;
    }

    /**
     * Flyway's checksum of a script: CRC-32 over the UTF-8 bytes of each line without its line break (a byte order
     * mark at the start dropped), as a signed int.
     */
    static int checksum(InputStream in) throws IOException {
        CRC32 crc = new CRC32();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 4096);
        String line = reader.readLine();
        if (line != null && !line.isEmpty() && line.charAt(0) == '\uFEFF') {
            line = line.substring(1);
        }
        for (; line != null; line = reader.readLine()) {
            crc.update(line.getBytes(StandardCharsets.UTF_8));
        }
        return (int) crc.getValue();
    }
}
