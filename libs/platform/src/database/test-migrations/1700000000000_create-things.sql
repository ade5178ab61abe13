-- Up Migration
CREATE TABLE things (id int PRIMARY KEY, name text NOT NULL);
-- give a concurrent migrator time to arrive while this one holds the lock
SELECT pg_sleep(0.5);

-- Down Migration
DROP TABLE things;
