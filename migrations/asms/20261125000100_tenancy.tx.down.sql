DROP TABLE school_access; DROP TABLE schools; DROP TABLE branches; DROP TABLE head_offices;
