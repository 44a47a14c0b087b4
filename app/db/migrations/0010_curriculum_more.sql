-- Curriculum, more: an optional end-of-course quiz and the attempts learners make at it.
--
-- A quiz belongs to a course revision, like its lessons: changing the quiz of a published
-- course opens a new draft revision, and learners keep the quiz of the revision they read.
-- question_ids lists question-bank versions (questions.id) in paper order, so a later edit
-- of a question in the bank does not change a published quiz.
CREATE TABLE course_quizzes (
    id {{ID}},
    revision_id BIGINT NOT NULL UNIQUE REFERENCES course_revisions (id),
    question_ids {{JSON}} NOT NULL,
    pass_percent INTEGER NOT NULL,
    max_attempts INTEGER NOT NULL DEFAULT 0
);

-- One attempt of a learner at the quiz of the revision they read. items holds, per
-- question, its bank version and the order its options are shown in (perm[i] is the
-- question's own index of the option shown in place i). answers, score and passed are
-- written once, on submission; submitted_at IS NULL marks the attempt still open. seq
-- numbers the attempts of one enrollment at one revision: two starts racing make one.
CREATE TABLE course_quiz_attempts (
    id {{ID}},
    enrollment_id BIGINT NOT NULL REFERENCES course_enrollments (id),
    revision INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    items {{JSON}} NOT NULL,
    answers {{JSON}},
    score DOUBLE PRECISION NOT NULL DEFAULT 0,
    max_score DOUBLE PRECISION NOT NULL DEFAULT 0,
    percent INTEGER NOT NULL DEFAULT 0,
    passed BOOLEAN NOT NULL DEFAULT FALSE,
    started_at {{TS}} NOT NULL,
    submitted_at {{TS}},
    UNIQUE (enrollment_id, revision, seq)
);
CREATE INDEX course_quiz_attempts_passed_idx ON course_quiz_attempts (enrollment_id, passed);
