DROP TABLE journal_entries; ALTER TABLE users DROP COLUMN current_module;
