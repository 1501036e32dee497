package ferry.wsus.catalog;

/**
 * What an approval set carried in a bundle changed at its import (docs/windows-clients.md, "Approvals from the
 * connected side").
 *
 * @param groupsCreated computer groups created (the others existed)
 * @param approvals     approvals of the set in force after the import (one per update and group)
 * @param declines      updates the set declined
 * @param rules         automatic-approval rules of the set in force
 * @param withdrawn     approvals, declines and rules of earlier bundles of the channel that the set no longer holds
 * @param leftToLocal   approvals, declines and rules not applied because the isolated side's operator decided
 *                      otherwise (a local approval or decline of the same update, a rule of the same name)
 * @param unmatched     selectors of the set that named no stored update (nothing to approve or decline yet)
 */
public record AppliedApprovals(int groupsCreated, int approvals, int declines, int rules, int withdrawn,
                               int leftToLocal, int unmatched) {
    /** One line for the operator and the audit log. */
    public String line() {
        return "approvals from the bundle applied: " + approvals + " approval(s), " + declines + " decline(s), "
                + rules + " rule(s), " + groupsCreated + " group(s) created; " + withdrawn + " earlier one(s) of the"
                + " channel withdrawn" + (leftToLocal > 0 ? ", " + leftToLocal + " left to local decisions" : "")
                + (unmatched > 0 ? ", " + unmatched + " selector(s) matched no stored update" : "");
    }
}
