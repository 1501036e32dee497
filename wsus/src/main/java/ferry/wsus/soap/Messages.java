package ferry.wsus.soap;

import ferry.wsus.UpdateIdentity;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** The data carried by MS-WSUSSS messages; names follow the WSDL types they mirror. */
public final class Messages {

    private Messages() {
    }

    /** AuthPlugInInfo (3.1.4.1.3.3). */
    public record AuthPlugIn(String plugInId, String serviceUrl) {
    }

    /** AuthorizationCookie (2.2.4.7): the plug-in id and opaque base64 data. */
    public record AuthorizationCookie(String plugInId, String cookieData) {
    }

    /**
     * Cookie (2.2.4.8).
     *
     * @param expiration    {@code xs:dateTime} as sent (UTC)
     * @param encryptedData opaque base64, interpreted only by the server that issued it
     */
    public record Cookie(String expiration, String encryptedData) {
        /** The expiration instant, or null if the server sent a form we cannot read. */
        public Instant expirationInstant() {
            try {
                return Instant.parse(expiration);
            } catch (DateTimeParseException | NullPointerException e) {
                return null;
            }
        }
    }

    /** ServerSyncLanguageData (3.1.4.4.3.3). */
    public record LanguageData(int languageId, String shortLanguage, String longLanguage, boolean enabled) {
    }

    /** ServerSyncConfigData (3.1.4.4.3.1), in schema order. */
    public record ConfigData(boolean catalogOnlySync, boolean lazySync, boolean serverHostsPsfFiles,
                             int maxNumberOfUpdatesPerRequest, int maxNumberOfDriverSetsPerRequest,
                             int maxNumberOfComputerIdsInRequest, int maxNumberOfPnpHardwareIdsInRequest,
                             String newConfigAnchor, String protocolVersion, List<LanguageData> languages,
                             int maxUpdatesPerRequestInGetUpdateDecryptionData) {
        public ConfigData {
            languages = List.copyOf(languages);
        }
    }

    /**
     * ServerSyncTargetGroup (3.1.4.10.3.3).
     *
     * @param parentGroupId the parent's GUID; all zeros for the top group
     */
    public record TargetGroupData(String targetGroupId, String parentGroupId, String name, boolean builtIn) {
    }

    /**
     * ServerSyncDeployment (3.1.4.10.3.5), in schema order.
     *
     * @param action     0 install, 1 uninstall, 2 scan, 3 block
     * @param deadline   xs:dateTime text; {@code 9999-12-31T23:59:59.9999999} for none, as the specification says
     * @param goLiveTime xs:dateTime text
     */
    public record DeploymentData(UpdateIdentity update, int action, String adminName, String deadline,
                                 boolean isAssigned, String goLiveTime, String deploymentGuid, String targetGroupId,
                                 int downloadPriority) {
    }

    /**
     * ServerSyncDeploymentResult (3.1.4.10.3.1): the groups, the deployments added and removed since the caller's
     * anchor, hidden (declined) updates and accepted EULAs.
     */
    public record DeploymentResult(String anchor, List<TargetGroupData> groups, List<DeploymentData> deployments,
                                   List<String> deadDeployments, List<String> hiddenUpdates,
                                   List<String> acceptedEulas) {
        public DeploymentResult {
            groups = List.copyOf(groups);
            deployments = List.copyOf(deployments);
            deadDeployments = List.copyOf(deadDeployments);
            hiddenUpdates = List.copyOf(hiddenUpdates);
            acceptedEulas = List.copyOf(acceptedEulas);
        }
    }

    /** IdAndDelta (3.1.4.5.3.3): a category or classification GUID; Delta = only revisions newer than the anchor. */
    public record IdAndDelta(String id, boolean delta) {
    }

    /** LanguageAndDelta (3.1.4.5.3.5): a language id (LCID). */
    public record LanguageAndDelta(int id, boolean delta) {
    }

    /**
     * ServerSyncFilter (3.1.4.5.3.1). Empty lists are not sent.
     *
     * @param anchor    the anchor of the last successful GetRevisionIdList, or null for the first call
     */
    public record ServerSyncFilter(String anchor, boolean getConfig, List<IdAndDelta> categories,
                                   List<IdAndDelta> classifications, List<LanguageAndDelta> languages) {
        public ServerSyncFilter {
            categories = List.copyOf(categories);
            classifications = List.copyOf(classifications);
            languages = List.copyOf(languages);
        }
    }

    /** RevisionIdList (3.1.4.5.3.6). */
    public record RevisionIdList(String anchor, List<UpdateIdentity> newRevisions) {
        public RevisionIdList {
            newRevisions = List.copyOf(newRevisions);
        }
    }

    /**
     * ServerSyncUpdateData (3.1.4.6.3.3): exactly one of {@code xmlUpdateBlob} (text) and
     * {@code xmlUpdateBlobCompressed} (cabinet bytes) is non-null.
     *
     * @param fileDigests base64 SHA-1 of each content file; empty when the revision has none
     */
    public record UpdateData(UpdateIdentity id, String xmlUpdateBlob, List<String> fileDigests,
                             byte[] xmlUpdateBlobCompressed) {
        public UpdateData {
            Objects.requireNonNull(id, "id");
            fileDigests = List.copyOf(fileDigests);
            if ((xmlUpdateBlob == null) == (xmlUpdateBlobCompressed == null)) {
                throw new IllegalArgumentException("update " + id
                        + ": exactly one of XmlUpdateBlob and XmlUpdateBlobCompressed must be present");
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof UpdateData u && id.equals(u.id) && Objects.equals(xmlUpdateBlob, u.xmlUpdateBlob)
                    && fileDigests.equals(u.fileDigests) && Arrays.equals(xmlUpdateBlobCompressed, u.xmlUpdateBlobCompressed);
        }

        @Override
        public int hashCode() {
            return Objects.hash(id, xmlUpdateBlob, fileDigests) * 31 + Arrays.hashCode(xmlUpdateBlobCompressed);
        }

        @Override
        public String toString() {
            return "UpdateData[" + id + (xmlUpdateBlob != null ? " plain " + xmlUpdateBlob.length() + " chars"
                    : " compressed " + xmlUpdateBlobCompressed.length + " bytes") + ", files " + fileDigests + "]";
        }
    }

    /** ServerSyncUrlData (3.1.4.6.3.5); null fields were absent or empty. */
    public record UrlData(String fileDigest, String muUrl, String ussUrl) {
    }

    /** ServerUpdateData (3.1.4.6.3.1). */
    public record ServerUpdateData(List<UpdateData> updates, List<UrlData> fileUrls) {
        public ServerUpdateData {
            updates = List.copyOf(updates);
            fileUrls = List.copyOf(fileUrls);
        }
    }

    /** ServerSyncFileDecryption (3.1.4.18.3.5); {@code decryptionKey} base64 or null. */
    public record FileDecryption(String fileDigest, String decryptionKey) {
    }

    /** ServerSyncUpdateFileDecryption (3.1.4.18.3.3). */
    public record UpdateFileDecryption(UpdateIdentity updateId, List<FileDecryption> files) {
        public UpdateFileDecryption {
            files = List.copyOf(files);
        }
    }

    /**
     * RollupConfiguration (3.1.4.13.3.1).
     *
     * @param doDetailedRollup true: the DSS reports its client computers too (RollupComputers, RollupComputerStatus)
     * @param rollupResetGuid  a GUID; when it changes the DSS reports everything again
     * @param serverId         a GUID naming this upstream server
     */
    public record RollupConfiguration(boolean doDetailedRollup, String rollupResetGuid, String serverId,
                                      int rollupDownstreamServersMaxBatchSize, int rollupComputersMaxBatchSize,
                                      int getOutOfSyncComputersMaxBatchSize, int rollupComputerStatusMaxBatchSize) {
    }
}
