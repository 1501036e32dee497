package ferry.wsus.soap;

import ferry.wsus.UpdateIdentity;
import ferry.wsus.soap.Messages.AuthorizationCookie;
import ferry.wsus.soap.Messages.Cookie;
import ferry.wsus.soap.Messages.ServerSyncFilter;

import java.util.List;

/**
 * A request a downstream server sent, as read by {@link SoapRequestReader}. Optional parameters the request left
 * out are null; the server decides which absences are faults (MS-WSUSSS 3.1.4.x "Request validation").
 */
public sealed interface SoapRequest {

    Operation operation();

    /** GetAuthConfig (3.1.4.1). */
    record GetAuthConfig() implements SoapRequest {
        public Operation operation() {
            return Operation.GET_AUTH_CONFIG;
        }
    }

    /** GetAuthorizationCookie (3.1.4.2). */
    record GetAuthorizationCookie(String accountName, String accountGuid) implements SoapRequest {
        public Operation operation() {
            return Operation.GET_AUTHORIZATION_COOKIE;
        }
    }

    /** GetCookie (3.1.4.3); authCookies null when absent. */
    record GetCookie(List<AuthorizationCookie> authCookies, Cookie oldCookie, String protocolVersion)
            implements SoapRequest {
        public Operation operation() {
            return Operation.GET_COOKIE;
        }
    }

    /** GetConfigData (3.1.4.4). */
    record GetConfigData(Cookie cookie, String configAnchor) implements SoapRequest {
        public Operation operation() {
            return Operation.GET_CONFIG_DATA;
        }
    }

    /** GetRevisionIdList (3.1.4.5). */
    record GetRevisionIdList(Cookie cookie, ServerSyncFilter filter) implements SoapRequest {
        public Operation operation() {
            return Operation.GET_REVISION_ID_LIST;
        }
    }

    /** GetUpdateData (3.1.4.6); updateIds null when absent. */
    record GetUpdateData(Cookie cookie, List<UpdateIdentity> updateIds) implements SoapRequest {
        public Operation operation() {
            return Operation.GET_UPDATE_DATA;
        }
    }

    /** GetUpdateDecryptionData (3.1.4.18); updateIds null when absent. */
    record GetUpdateDecryptionData(Cookie cookie, List<UpdateIdentity> updateIds) implements SoapRequest {
        public Operation operation() {
            return Operation.GET_UPDATE_DECRYPTION_DATA;
        }
    }

    /**
     * GetDeployments (3.1.4.10), asked by a replica DSS.
     *
     * @param deploymentAnchor the anchor of the last GetDeployments, or null on the first call
     * @param syncAnchor       the anchor of the last GetRevisionIdList, or null when absent (a fault)
     */
    record GetDeployments(Cookie cookie, String deploymentAnchor, String syncAnchor) implements SoapRequest {
        public Operation operation() {
            return Operation.GET_DEPLOYMENTS;
        }
    }

    /** DownloadFiles (3.1.4.11); fileDigests (base64 SHA-1, as sent) null when absent. */
    record DownloadFiles(Cookie cookie, List<String> fileDigests) implements SoapRequest {
        public DownloadFiles {
            fileDigests = fileDigests == null ? null : List.copyOf(fileDigests);
        }

        public Operation operation() {
            return Operation.DOWNLOAD_FILES;
        }
    }

    /** Ping (3.1.4.12): unused by the protocol, ignored by the server. */
    record Ping() implements SoapRequest {
        public Operation operation() {
            return Operation.PING;
        }
    }

    /**
     * A Reporting Web Service call (GetRollupConfiguration, RollupDownstreamServers, RollupComputers,
     * GetOutOfSyncComputers, RollupComputerStatus; 3.1.4.13-17). Its cookie is the fixed reporting cookie and its
     * content is not kept, so only the operation and how many items its array held are read.
     *
     * @param items the number of elements in the request's array parameter (downstreamServers, computers,
     *              lastRollupNumbers), 0 when it has none
     */
    record Reporting(Operation operation, int items) implements SoapRequest {
        public Reporting {
            if (operation.service() != Operation.Service.REPORTING) {
                throw new IllegalArgumentException(operation + " is not a reporting operation");
            }
        }
    }
}
