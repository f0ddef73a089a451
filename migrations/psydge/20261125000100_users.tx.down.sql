ALTER TABLE users DROP COLUMN timezone, DROP COLUMN subscription_tier, DROP COLUMN broker_credentials;
