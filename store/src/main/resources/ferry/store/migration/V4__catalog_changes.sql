-- ferry store catalog: a count of the catalog's changes made outside imports (an operator's approvals, groups and
-- rules of a source type, Store.change). Together with the number of imported bundles it tells a server sharing the
-- catalog that what it keeps from it is stale (Store.changes, server.CommitWatch). The format version stays 2: a
-- ferry that does not know this column reads the catalog as before.
ALTER TABLE store_info ADD COLUMN catalog_changes BIGINT NOT NULL DEFAULT 0;
