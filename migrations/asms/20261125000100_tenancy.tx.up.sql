-- The pilot's tenancy: Head Office → Branch → School. A user's access is granted per school,
-- branch or head office with one of the ten roles; scoping follows the grant.
CREATE TABLE head_offices (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL
);
CREATE TABLE branches (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    head_office_id bigint NOT NULL REFERENCES head_offices (id),
    name           text NOT NULL,
    created_at     timestamptz NOT NULL,
    UNIQUE (head_office_id, name)
);
CREATE TABLE schools (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    branch_id  bigint NOT NULL REFERENCES branches (id),
    name       text NOT NULL,
    city       text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    UNIQUE (branch_id, name)
);
CREATE TABLE school_access (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id        bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role           text NOT NULL CHECK (role IN ('ho_admin', 'branch_admin', 'principal', 'vice_principal',
                     'teacher', 'class_teacher', 'accountant', 'parent', 'student', 'support_staff')),
    head_office_id bigint REFERENCES head_offices (id),
    branch_id      bigint REFERENCES branches (id),
    school_id      bigint REFERENCES schools (id),
    created_at     timestamptz NOT NULL,
    CONSTRAINT school_access_one_scope CHECK (num_nonnulls(head_office_id, branch_id, school_id) = 1)
);
CREATE INDEX school_access_user_idx ON school_access (user_id);
