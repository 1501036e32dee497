package ferry.wsus.client;

import ferry.wsus.UpdateIdentity;
import ferry.wsus.soap.Messages.UrlData;

import java.util.List;

/**
 * One revision as received from GetUpdateData (MS-WSUSSS 3.1.4.6), blob already decompressed.
 *
 * @param identity    the revision
 * @param xml         the update metadata document, exactly as the upstream sent it (after CAB/UTF-16 decoding)
 * @param fileDigests base64 SHA-1 of each content file ({@code FileDigestList}); empty when none
 * @param fileUrls    the response's {@code fileUrls} entries for these digests (MUUrl, UssUrl may be null)
 */
public record SyncedUpdate(UpdateIdentity identity, String xml, List<String> fileDigests, List<UrlData> fileUrls) {
    public SyncedUpdate {
        fileDigests = List.copyOf(fileDigests);
        fileUrls = List.copyOf(fileUrls);
    }
}
