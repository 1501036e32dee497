-- The configuration GetConfig advertises (MS-WUSP 2.2.2.2.1) and since when: its LastChange. Cookies carry the
-- LastChange they were issued under; when the advertised configuration changes (another ferry version answers
-- GetConfig differently), LastChange moves to that moment and clients holding older cookies get ConfigChanged at
-- their next SyncUpdates (3.1.5.7), or at GetCookie if they present the old LastChange (3.1.5.4), and read the
-- configuration again.
-- config_digest: SHA-256 (hex) of the configuration as ClientConfiguration.digest() writes it; NULL until a serving
-- process first records it (a database of a ferry from before this migration: its configuration dates from
-- created_at, as that ferry's LastChange did).
ALTER TABLE client_server ADD COLUMN config_digest VARCHAR(64);
ALTER TABLE client_server ADD COLUMN config_since TIMESTAMP WITH TIME ZONE;
UPDATE client_server SET config_since = created_at;
ALTER TABLE client_server ALTER COLUMN config_since SET NOT NULL;
