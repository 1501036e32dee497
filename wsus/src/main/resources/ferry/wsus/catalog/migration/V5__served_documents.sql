-- The WSUS catalog, format 5: what GetUpdateData sends for a revision, made once when the import writes the
-- revision instead of at every request. A stored revision's metadata never changes, so neither does its LZX
-- cabinet (XmlUpdateBlobCompressed) nor the list of files it names (FileDigestList, fileUrls); compressing a
-- document costs about 1 ms of CPU, which made GetUpdateData for 100 ids take 120 ms of CPU (docs/benchmarks.md,
-- "Metadata at WSUS scale"). Written by the import (WsusCatalogWrite) in the same transaction as the revision.
-- Revisions imported before this format have no row: the server derives both from the metadata object as before.
CREATE TABLE wsus_served_document (
    update_id        VARCHAR(36) NOT NULL,
    revision_number  INT NOT NULL,
    -- the Microsoft Cabinet (one LZX folder, member "blob": the document in UTF-16LE) sent as
    -- XmlUpdateBlobCompressed; NULL for a document sent as plain XmlUpdateBlob (small, and text XML 1.0 can carry)
    blob_cabinet     VARBINARY,
    -- the files the document names, in document order, one line each: base64 SHA-1, TAB, size in bytes, TAB, file
    -- name, LF ('' for none); NULL when a name or digest holds a TAB or line break (the server parses the document)
    document_files   VARCHAR,
    PRIMARY KEY (update_id, revision_number),
    FOREIGN KEY (update_id, revision_number) REFERENCES wsus_update_revision (update_id, revision_number)
);
