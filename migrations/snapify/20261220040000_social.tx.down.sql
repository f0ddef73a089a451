DROP TABLE social_posts, social_connections;
