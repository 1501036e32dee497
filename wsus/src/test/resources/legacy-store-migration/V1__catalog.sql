-- ferry store catalog, format 1.
-- Identifiers: update and category ids are lower-case GUID text; SHA-1 is 40 upper-case hex digits (as in
-- /Content/ URLs); SHA-256 is 64 lower-case hex digits (as in object names). Times are UTC.

CREATE TABLE store_info (
    singleton      BOOLEAN DEFAULT TRUE PRIMARY KEY CHECK (singleton),
    format_version INT NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO store_info (format_version, created_at) VALUES (1, CURRENT_TIMESTAMP);

CREATE TABLE bundle (
    bundle_id            VARCHAR(200) PRIMARY KEY,
    channel              VARCHAR(200) NOT NULL,
    sequence_number      BIGINT NOT NULL CHECK (sequence_number >= 1),
    base_sequence        BIGINT CHECK (base_sequence IS NULL OR base_sequence < sequence_number),
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    imported_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    manifest_sha256      CHAR(64) NOT NULL,
    producer             VARCHAR(1000),
    revision_count       INT NOT NULL,
    new_revision_count   INT NOT NULL,
    file_count           INT NOT NULL,
    new_file_count       INT NOT NULL,
    CONSTRAINT bundle_channel_sequence UNIQUE (channel, sequence_number)
);

CREATE TABLE bundle_signer (
    bundle_id    VARCHAR(200) NOT NULL REFERENCES bundle (bundle_id),
    position     INT NOT NULL,
    fingerprint  VARCHAR(200) NOT NULL,
    PRIMARY KEY (bundle_id, position)
);

CREATE TABLE channel (
    name            VARCHAR(200) PRIMARY KEY,
    last_sequence   BIGINT NOT NULL,
    last_bundle_id  VARCHAR(200) NOT NULL REFERENCES bundle (bundle_id)
);

-- Anchors handed to downstream servers are change numbers: every stored revision gets the next one at import.
CREATE SEQUENCE change_number_seq START WITH 1 INCREMENT BY 1 NO CYCLE;

CREATE TABLE wsus_update_revision (
    update_id        VARCHAR(36) NOT NULL,
    revision_number  INT NOT NULL,
    update_type      VARCHAR(16) NOT NULL CHECK (update_type IN ('Software', 'Driver', 'Category', 'Detectoid')),
    category_type    VARCHAR(32) CHECK (category_type IS NULL
                         OR (update_type = 'Category'
                             AND category_type IN ('Company', 'ProductFamily', 'Product', 'UpdateClassification'))),
    title            VARCHAR(4000),
    kb_article       VARCHAR(100),
    metadata_sha256  CHAR(64) NOT NULL,
    bundle_id        VARCHAR(200) NOT NULL REFERENCES bundle (bundle_id),
    change_number    BIGINT NOT NULL UNIQUE,
    PRIMARY KEY (update_id, revision_number)
);
CREATE INDEX wsus_update_revision_type ON wsus_update_revision (update_type, change_number);

CREATE TABLE wsus_update_category (
    update_id        VARCHAR(36) NOT NULL,
    revision_number  INT NOT NULL,
    category_id      VARCHAR(36) NOT NULL,
    PRIMARY KEY (update_id, revision_number, category_id),
    FOREIGN KEY (update_id, revision_number) REFERENCES wsus_update_revision (update_id, revision_number)
);
CREATE INDEX wsus_update_category_by_category ON wsus_update_category (category_id);

CREATE TABLE wsus_prerequisite (
    update_id        VARCHAR(36) NOT NULL,
    revision_number  INT NOT NULL,
    prerequisite_id  VARCHAR(36) NOT NULL,
    PRIMARY KEY (update_id, revision_number, prerequisite_id),
    FOREIGN KEY (update_id, revision_number) REFERENCES wsus_update_revision (update_id, revision_number)
);

CREATE TABLE wsus_bundled_update (
    update_id                VARCHAR(36) NOT NULL,
    revision_number          INT NOT NULL,
    bundled_update_id        VARCHAR(36) NOT NULL,
    bundled_revision_number  INT NOT NULL,
    PRIMARY KEY (update_id, revision_number, bundled_update_id, bundled_revision_number),
    FOREIGN KEY (update_id, revision_number) REFERENCES wsus_update_revision (update_id, revision_number)
);

CREATE TABLE wsus_superseded (
    update_id             VARCHAR(36) NOT NULL,
    revision_number       INT NOT NULL,
    superseded_update_id  VARCHAR(36) NOT NULL,
    PRIMARY KEY (update_id, revision_number, superseded_update_id),
    FOREIGN KEY (update_id, revision_number) REFERENCES wsus_update_revision (update_id, revision_number)
);

CREATE TABLE wsus_file (
    sha1_hex   CHAR(40) PRIMARY KEY,
    sha256     CHAR(64) NOT NULL,
    size       BIGINT NOT NULL CHECK (size >= 0),
    file_name  VARCHAR(1000) NOT NULL,
    mu_url     VARCHAR(4000)
);
CREATE INDEX wsus_file_by_sha256 ON wsus_file (sha256);

CREATE TABLE wsus_revision_file (
    update_id        VARCHAR(36) NOT NULL,
    revision_number  INT NOT NULL,
    sha1_hex         CHAR(40) NOT NULL REFERENCES wsus_file (sha1_hex),
    PRIMARY KEY (update_id, revision_number, sha1_hex),
    FOREIGN KEY (update_id, revision_number) REFERENCES wsus_update_revision (update_id, revision_number)
);
