-- The WSUS catalog, format 3.1: automatic-approval rules carried signed in a bundle (entry kind wsus-approvals,
-- docs/bundle-format.md section 14) beside the operator's own. A bundle's approval set replaces the rules, approvals
-- and declines the channel's earlier bundles carried (origin 'bundle', origin_ref the bundle id, whose channel the
-- bundle table names), and leaves the operator's ('local') alone. Numbered 3.1, not 4: it extends format 3's
-- approval tables and leaves version 4 to whatever changes the catalog next.
ALTER TABLE wsus_approval_rule ADD COLUMN origin VARCHAR(16) DEFAULT 'local' NOT NULL
    CHECK (origin IN ('local', 'bundle'));
ALTER TABLE wsus_approval_rule ADD COLUMN origin_ref VARCHAR(256);
-- Finding the channel's bundle-carried rows is a lookup by origin_ref.
CREATE INDEX wsus_approval_by_origin ON wsus_approval (origin, origin_ref);
CREATE INDEX wsus_declined_by_origin ON wsus_declined (origin, origin_ref);
