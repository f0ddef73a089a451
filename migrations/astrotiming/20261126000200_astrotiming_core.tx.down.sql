DROP TABLE calendar_links; DROP TABLE webhook_deliveries; DROP TABLE webhooks; DROP TABLE briefings;
DROP TABLE planetary_cache; DROP TABLE schedule_entries; DROP TABLE timing_queries; DROP TABLE activity_categories;
