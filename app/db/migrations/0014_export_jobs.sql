-- Reserved: filled by the work that needs it in this submission.
SELECT 1;
