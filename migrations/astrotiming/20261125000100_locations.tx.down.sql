DROP TABLE locations; ALTER TABLE users DROP COLUMN latitude, DROP COLUMN longitude, DROP COLUMN timezone, DROP COLUMN preferences;
