ALTER TABLE stores DROP COLUMN email;
ALTER TABLE subscriptions DROP COLUMN grace_until;
ALTER TABLE subscriptions DROP COLUMN payment_method;
DROP TABLE payment_callbacks;
DROP TABLE payments;
