-- a test source type's second migration: its first statement succeeds (and H2 commits it), its second fails
CREATE TABLE brittle_half (id INT PRIMARY KEY);
INSERT INTO brittle_no_such_table VALUES (1);
