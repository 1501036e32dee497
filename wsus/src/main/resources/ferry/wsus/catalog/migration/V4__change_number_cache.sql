-- Change numbers drawn in blocks. With H2's default cache of 32, every 32nd NEXT VALUE wrote the sequence's
-- position through a system session whose commit stored every page the import had changed so far: 780 such stores
-- in a 25,000-revision import, a fifth of its CPU (docs/benchmarks.md, "Metadata-only import"). A block of 65,536
-- costs at most one store per 65,536 revisions. H2 writes the exact position on a clean close; after a crash the
-- sequence resumes past the block, so change numbers still only grow (a gap is harmless: anchors compare them).
ALTER SEQUENCE change_number_seq CACHE 65536;
