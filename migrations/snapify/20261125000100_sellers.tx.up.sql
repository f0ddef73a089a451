-- Snapify sellers sign in with a WhatsApp number; buyers never have accounts.
ALTER TABLE users ADD COLUMN phone text UNIQUE;
ALTER TABLE users DROP CONSTRAINT users_email_or_anonymous;
ALTER TABLE users ADD CONSTRAINT users_identified CHECK (anonymous OR email IS NOT NULL OR phone IS NOT NULL);
