package ferry.wsus.catalog;

import java.util.List;

/**
 * What GetDeployments (MS-WSUSSS 3.1.4.10) answers a replica: every group, the deployments made and removed since a
 * deployment counter, and the declined updates.
 *
 * @param counter         the highest deployment number handed out so far: the next call's "since"
 * @param groups          every group, "All Computers" first, then by name
 * @param deployments     approvals made since (deployment id above "since") of updates the store holds, by deployment
 *                        id
 * @param deadDeployments GUIDs of approvals removed or replaced since, in order of removal
 * @param hiddenUpdates   every declined update id, sorted
 */
public record DeploymentChanges(long counter, List<TargetGroup> groups, List<Approval> deployments,
                                List<String> deadDeployments, List<String> hiddenUpdates) {
    public DeploymentChanges {
        groups = List.copyOf(groups);
        deployments = List.copyOf(deployments);
        deadDeployments = List.copyOf(deadDeployments);
        hiddenUpdates = List.copyOf(hiddenUpdates);
    }
}
