DROP TABLE sitemap_files, hub_pages, city_pages, whatsapp_sessions, posts, analytics_events, orders;
DROP TRIGGER products_counts ON products;
DROP FUNCTION snapify_product_counts();
DROP TRIGGER products_search_words ON products;
DROP FUNCTION snapify_search_words();
DROP TABLE search_words;
DROP TABLE products, categories, subscriptions, stores;
