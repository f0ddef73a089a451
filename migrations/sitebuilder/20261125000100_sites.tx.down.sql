DROP TABLE pages; DROP TABLE sites;
