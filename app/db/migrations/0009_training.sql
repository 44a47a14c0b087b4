-- Reserved for work in progress; replaced by the real schema before it lands.
CREATE TABLE reserved_training (id INTEGER);
