package ferry.exporter;

import ferry.wsus.UpdateIdentity;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A channel's export state, {@code <stateDir>/state.json}: what the isolated side holds once it has imported
 * every bundle so far. Revisions are written {@code <updateId>-r<revision>}, files as 40 upper-case hex SHA-1
 * digits, both sorted, so that the file diffs well.
 *
 * @param formatVersion     {@link #FORMAT_VERSION}
 * @param channel           the channel this state belongs to
 * @param lastSequence      sequence number of the last bundle written
 * @param lastBundleId      its bundle id
 * @param lastExportAt      its createdAt (UTC, ISO-8601)
 * @param upstream          the upstream it came from
 * @param products          the selection at that time
 * @param classifications   the selection at that time
 * @param languages         the selection at that time
 * @param mode              {@code metadata} or {@code metadata+files}
 * @param allFilesExported  true when the files of every exported revision were exported too (false after a
 *                          metadata-only run, so that a later metadata+files run goes back for them)
 * @param upstreamAnchor    the upstream's anchor at that time, for information only: each run lists the whole
 *                          selection and compares it with {@code exportedRevisions}, which does not depend on
 *                          the upstream keeping its anchors valid
 * @param exportedRevisions every revision exported on this channel
 * @param exportedFiles     SHA-1 of every update file exported on this channel
 */
record ExportState(int formatVersion, String channel, long lastSequence, String lastBundleId, String lastExportAt,
                   String upstream, List<CategoryRef> products, List<CategoryRef> classifications,
                   List<String> languages, String mode, boolean allFilesExported, String upstreamAnchor,
                   List<String> exportedRevisions, List<String> exportedFiles) {

    static final int FORMAT_VERSION = 1;

    ExportState {
        products = List.copyOf(products);
        classifications = List.copyOf(classifications);
        languages = List.copyOf(languages);
        exportedRevisions = List.copyOf(new TreeSet<>(exportedRevisions));
        exportedFiles = List.copyOf(new TreeSet<>(exportedFiles));
    }

    /** The exported revisions as identities. @throws IllegalArgumentException for a malformed one */
    Set<UpdateIdentity> revisions() {
        Set<UpdateIdentity> out = new TreeSet<>();
        for (String s : exportedRevisions) {
            out.add(parseIdentity(s));
        }
        return out;
    }

    static String format(UpdateIdentity id) {
        return id.toString();
    }

    static UpdateIdentity parseIdentity(String s) {
        int r = s.lastIndexOf("-r");
        if (r < 0) {
            throw new IllegalArgumentException("not <updateId>-r<revision>: " + s);
        }
        try {
            return new UpdateIdentity(s.substring(0, r), Integer.parseInt(s.substring(r + 2)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not <updateId>-r<revision>: " + s);
        }
    }
}
