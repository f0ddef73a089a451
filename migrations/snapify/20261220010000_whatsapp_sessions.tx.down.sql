DROP TABLE whatsapp_outbox, whatsapp_messages, whatsapp_deliveries;
