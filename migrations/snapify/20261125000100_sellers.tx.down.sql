ALTER TABLE users DROP CONSTRAINT users_identified;
ALTER TABLE users DROP COLUMN phone;
ALTER TABLE users ADD CONSTRAINT users_email_or_anonymous CHECK (anonymous OR email IS NOT NULL);
