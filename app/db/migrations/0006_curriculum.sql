-- Curriculum: courses with revisions. A course is its identity (code, owner, sharing);
-- each revision holds the content. Editing a published course opens a new draft revision
-- copied from it; learners keep the revision they enrolled in until they move on. Modules
-- and lessons keep a key across revisions so progress carries over when a learner moves on.
CREATE TABLE courses (
    id {{ID}},
    code TEXT NOT NULL UNIQUE,
    owner_org_id BIGINT NOT NULL REFERENCES org_units (id),
    shared BOOLEAN NOT NULL DEFAULT FALSE,
    published_rev INTEGER NOT NULL DEFAULT 0,
    latest_rev INTEGER NOT NULL DEFAULT 1,
    copied_from BIGINT REFERENCES courses (id),
    created_by BIGINT REFERENCES users (id),
    created_at {{TS}} NOT NULL,
    updated_at {{TS}} NOT NULL
);
CREATE INDEX courses_owner_idx ON courses (owner_org_id);

CREATE TABLE course_revisions (
    id {{ID}},
    course_id BIGINT NOT NULL REFERENCES courses (id),
    revision INTEGER NOT NULL,
    status TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    levels {{JSON}},
    codes {{JSON}},
    class_hours DOUBLE PRECISION NOT NULL DEFAULT 0,
    published_at {{TS}},
    published_by BIGINT REFERENCES users (id),
    created_at {{TS}} NOT NULL,
    UNIQUE (course_id, revision)
);

CREATE TABLE course_modules (
    id {{ID}},
    revision_id BIGINT NOT NULL REFERENCES course_revisions (id),
    module_key BIGINT NOT NULL DEFAULT 0,
    position INTEGER NOT NULL,
    title TEXT NOT NULL
);
CREATE INDEX course_modules_rev_idx ON course_modules (revision_id, position);

CREATE TABLE course_lessons (
    id {{ID}},
    revision_id BIGINT NOT NULL REFERENCES course_revisions (id),
    module_id BIGINT NOT NULL REFERENCES course_modules (id),
    lesson_key BIGINT NOT NULL DEFAULT 0,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    required BOOLEAN NOT NULL DEFAULT TRUE,
    minutes INTEGER NOT NULL DEFAULT 0,
    video_url TEXT NOT NULL DEFAULT ''
);
CREATE INDEX course_lessons_rev_idx ON course_lessons (revision_id, module_id, position);

CREATE TABLE course_attachments (
    id {{ID}},
    lesson_id BIGINT NOT NULL REFERENCES course_lessons (id),
    name TEXT NOT NULL,
    mime TEXT NOT NULL,
    size BIGINT NOT NULL,
    storage_key TEXT NOT NULL,
    created_at {{TS}} NOT NULL
);
CREATE INDEX course_attachments_lesson_idx ON course_attachments (lesson_id);

CREATE TABLE course_enrollments (
    id {{ID}},
    user_id BIGINT NOT NULL REFERENCES users (id),
    course_id BIGINT NOT NULL REFERENCES courses (id),
    revision INTEGER NOT NULL,
    started_at {{TS}} NOT NULL,
    completed_at {{TS}},
    UNIQUE (user_id, course_id)
);

CREATE TABLE lesson_progress (
    id {{ID}},
    enrollment_id BIGINT NOT NULL REFERENCES course_enrollments (id),
    lesson_id BIGINT NOT NULL REFERENCES course_lessons (id),
    lesson_key BIGINT NOT NULL,
    done_at {{TS}} NOT NULL,
    UNIQUE (enrollment_id, lesson_id)
);

-- An assignment targets one person or a whole org unit (and everyone under it). due_at is
-- the instant the due date ends (midnight after it, China time): overdue from then on.
CREATE TABLE course_assignments (
    id {{ID}},
    course_id BIGINT NOT NULL REFERENCES courses (id),
    user_id BIGINT REFERENCES users (id),
    org_id BIGINT REFERENCES org_units (id),
    due_on TEXT NOT NULL,
    due_at {{TS}} NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    assigned_by BIGINT REFERENCES users (id),
    created_at {{TS}} NOT NULL,
    CHECK ((user_id IS NULL) <> (org_id IS NULL))
);
CREATE INDEX course_assignments_user_idx ON course_assignments (user_id);
CREATE INDEX course_assignments_org_idx ON course_assignments (org_id);
