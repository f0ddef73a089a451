DROP TABLE ai_settings;
DROP INDEX ai_interactions_user_id_idx;
DELETE FROM ai_interactions WHERE input_context IS NULL;
ALTER TABLE ai_interactions
    ALTER COLUMN input_context SET NOT NULL,
    DROP COLUMN provider, DROP COLUMN model, DROP COLUMN input_tokens, DROP COLUMN output_tokens,
    DROP COLUMN cost_micro_usd, DROP COLUMN latency_ms, DROP COLUMN attempts, DROP COLUMN outcome,
    DROP COLUMN error, DROP COLUMN ephemeral, DROP COLUMN trigger, DROP COLUMN decision;
