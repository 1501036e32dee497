package ferry.exporter.wsus;

import ferry.wsus.UpdateIdentity;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The WSUS part of a channel's export state ({@code sourceState} in {@code state.json}): what the isolated side
 * holds once it has imported every bundle so far. Revisions are written {@code <updateId>-r<revision>}, files as 40
 * upper-case hex SHA-1 digits, both sorted, so that the file diffs well. These are the fields state format 1 held at
 * its top level, unchanged.
 *
 * @param upstream          the upstream the last bundle came from
 * @param products          the selection at that time
 * @param classifications   the selection at that time
 * @param languages         the selection at that time
 * @param mode              {@code metadata} or {@code metadata+files}
 * @param allFilesExported  true when the files of every exported revision were exported too (false after a
 *                          metadata-only run, so that a later metadata+files run goes back for them)
 * @param upstreamAnchor    the anchor of the GetRevisionIdList (GetConfig=false) of the last bundle: the next run
 *                          lists only what changed since (MS-WSUSSS 3.1.4.5), unless the upstream, the languages
 *                          or the mode's owed files say otherwise; what it lists is still compared with
 *                          {@code exportedRevisions}, so an anchor that lists too much costs nothing but time
 * @param exportedRevisions every revision exported on this channel
 * @param exportedFiles     SHA-1 of every update file exported on this channel
 * @param configAnchor      the {@code NewConfigAnchor} of the last bundle's GetConfigData (3.1.4.4), sent with the
 *                          next one; null in states written before ferry kept it (state format 2 as before: a new
 *                          optional field, which older ferry versions refuse as unknown - see
 *                          {@code StateFormats})
 * @param approvalsSha256   SHA-256 (lower-case hex) of the approval set the last bundle carried
 *                          ({@code wsus/approvals.json}), or null when it carried none: a run whose set is the same and
 *                          that finds no new update writes no bundle. A new optional field, as {@code configAnchor} was
 */
record WsusState(String upstream, List<CategoryRef> products, List<CategoryRef> classifications,
                 List<String> languages, String mode, boolean allFilesExported, String upstreamAnchor,
                 List<String> exportedRevisions, List<String> exportedFiles, String configAnchor,
                 @com.fasterxml.jackson.annotation.JsonInclude(
                         com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String approvalsSha256) {

    /** @throws IllegalArgumentException for a missing field or a malformed revision */
    WsusState {
        if (upstream == null || mode == null) {
            throw new IllegalArgumentException("the WSUS state has no " + (upstream == null ? "upstream" : "mode"));
        }
        products = List.copyOf(products);
        classifications = List.copyOf(classifications);
        languages = List.copyOf(languages);
        exportedRevisions = List.copyOf(new TreeSet<>(exportedRevisions));
        exportedFiles = List.copyOf(new TreeSet<>(exportedFiles));
        for (String r : exportedRevisions) {
            parseIdentity(r);
        }
    }

    /** The exported revisions as identities. */
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

    /** @throws IllegalArgumentException for anything but {@code <updateId>-r<revision>} */
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
