package ferry.wsus.catalog;

import java.time.Instant;

/**
 * An approval of an update for a computer group (a WSUS deployment). It applies to the update's latest stored
 * revision; a new revision imported later is approved the same way and gets a new deployment.
 *
 * @param updateId       lower-case GUID
 * @param revisionNumber the update's latest stored revision; null if the store does not hold the update (yet)
 * @param title          that revision's title, or null
 * @param kbArticle      its KB article number (digits, as in the metadata), or null
 * @param groupId        the group's id, lower-case GUID
 * @param groupName      the group's name
 * @param action         {@code Install} or {@code Uninstall}
 * @param deadline       UTC, or null for none
 * @param approvedAt     when this approval (this deployment) was made, UTC
 * @param origin         {@code local} (an operator on this side), {@code rule} (an automatic-approval rule at import)
 *                       or {@code bundle} (carried signed in a bundle)
 * @param originRef      the rule's name or the bundle id; null for {@code local}
 * @param deploymentId   the deployment id (MS-WUSP {@code Deployment/ID}), from 1, below 2^31; a new one whenever the
 *                       approval or the update's latest revision changes; never a revision id's space
 * @param deploymentGuid the deployment's GUID (MS-WSUSSS {@code DeploymentGuid}), lower-case
 */
public record Approval(String updateId, Integer revisionNumber, String title, String kbArticle, String groupId,
                       String groupName, String action, Instant deadline, Instant approvedAt, String origin,
                       String originRef, long deploymentId, String deploymentGuid) {
    /** {@code Install}. */
    public static final String INSTALL = "Install";
    /** {@code Uninstall}. */
    public static final String UNINSTALL = "Uninstall";
}
