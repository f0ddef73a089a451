DROP TABLE content_ai_calls;
DROP TABLE product_voice_notes;
DROP TABLE product_suggestions;
