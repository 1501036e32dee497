package ferry.exporter;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Files got into the file cache for a run ({@link SourceExport.Context#fetch}).
 *
 * @param paths  each file's verified path in the cache, in the order asked for
 * @param counts what was downloaded and what came from the cache
 */
public record FetchedFiles(Map<RemoteFile, Path> paths, FileCounts counts) {

    public FetchedFiles {
        paths = Collections.unmodifiableMap(new LinkedHashMap<>(paths));
    }
}
