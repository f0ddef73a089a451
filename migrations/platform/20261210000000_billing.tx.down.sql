DROP TABLE billing_events;
DROP TABLE billing_plans;
DROP TABLE billing_customers;
