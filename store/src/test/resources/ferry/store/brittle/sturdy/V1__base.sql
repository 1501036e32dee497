-- a test source type's first migration: succeeds
CREATE TABLE brittle_base (id INT PRIMARY KEY);
