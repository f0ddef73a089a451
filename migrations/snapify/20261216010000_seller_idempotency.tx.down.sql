DROP TABLE seller_idempotency;
