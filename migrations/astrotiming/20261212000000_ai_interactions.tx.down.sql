DROP TABLE ai_interactions;
