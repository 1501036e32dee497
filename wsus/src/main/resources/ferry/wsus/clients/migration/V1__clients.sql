-- The Windows clients database of a served store (<store>/clients.mv.db), format 1 (Flyway history:
-- clients_schema_history). Written only by the process serving the store (it holds serve.lock), never by an import;
-- see docs/windows-clients.md for why it is a file of its own and not tables of the catalog.
-- Ids: client and update ids are lower-case GUID text. Times are UTC.

-- One row: this server's identity in MS-WUSP cookies (a new database is a new server to every client: ServerChanged)
-- and the key that seals them, so cookies stay valid across restarts.
CREATE TABLE client_server (
    id          INT PRIMARY KEY CHECK (id = 1),
    server_id   VARCHAR(36) NOT NULL,
    cookie_key  VARBINARY(64) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- A computer, from its first GetAuthorizationCookie on; RegisterComputer fills the rest.
CREATE TABLE client_computer (
    client_id       VARCHAR(36) PRIMARY KEY,
    dns_name        VARCHAR(1024),
    -- the group names the client's policy sends (client-side targeting), as sent; NULL: none
    target_group    VARCHAR(1024),
    os_version      VARCHAR(100),
    os_description  VARCHAR(1024),
    os_locale       VARCHAR(100),
    manufacturer    VARCHAR(1024),
    model           VARCHAR(1024),
    architecture    VARCHAR(100),
    client_version  VARCHAR(100),
    first_contact   TIMESTAMP WITH TIME ZONE NOT NULL,
    last_contact    TIMESTAMP WITH TIME ZONE NOT NULL,
    registered_at   TIMESTAMP WITH TIME ZONE,
    last_sync       TIMESTAMP WITH TIME ZONE,
    last_report     TIMESTAMP WITH TIME ZONE
);

-- Events a computer reported (ReportEventBatch) that name an update, every one; of those naming no update
-- (detection 147/148) only the latest per computer and event id, as WSUS keeps them. Status events (156) are not
-- kept: they only move client_update_status.
CREATE TABLE client_event (
    client_id            VARCHAR(36) NOT NULL REFERENCES client_computer (client_id),
    event_instance_id    VARCHAR(36) NOT NULL,
    event_id             INT NOT NULL,
    source_id            INT NOT NULL,
    update_id            VARCHAR(36) NOT NULL,
    revision_number      INT NOT NULL,
    win32_hresult        INT NOT NULL,
    time_at_target       VARCHAR(64),
    time_at_server       TIMESTAMP WITH TIME ZONE NOT NULL,
    app_name             VARCHAR(1024),
    replacement_strings  CLOB,
    misc_data            CLOB,
    PRIMARY KEY (client_id, event_instance_id)
);
CREATE INDEX client_event_by_update ON client_event (update_id, client_id);

-- What ferry knows of each approved update on each computer: offered for install by SyncUpdates, then moved by the
-- computer's events (download, install, failure) and status lists (156: U needed, V installed).
CREATE TABLE client_update_status (
    client_id        VARCHAR(36) NOT NULL REFERENCES client_computer (client_id),
    update_id        VARCHAR(36) NOT NULL,
    revision_number  INT NOT NULL,
    title            VARCHAR(4000),
    status           VARCHAR(32) NOT NULL CHECK (status IN ('offered', 'needed', 'downloading', 'downloaded',
                         'installing', 'installed', 'pending-restart', 'failed')),
    win32_hresult    INT,
    changed_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (client_id, update_id)
);
