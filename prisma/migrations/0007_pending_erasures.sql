-- Account deletions whose sample archives are not clean yet. A deletion removes the account's
-- rows and inserts its row here in one transaction; the archives of retired months are then
-- rewritten without the account's samples (at once, and by the privacy.erasure-purge job until
-- that succeeds). The row is deleted only when every archive is clean, so an erasure that stops
-- half-way (object store down, corrupt archive, process killed) is retried, never forgotten.
-- No foreign key: the user row is already gone.
CREATE TABLE "pending_erasures" (
  "user_id"         UUID         NOT NULL,
  "requested_at"    TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "attempts"        INTEGER      NOT NULL DEFAULT 0,
  "last_attempt_at" TIMESTAMPTZ(3),
  "last_error"      TEXT,
  CONSTRAINT "pending_erasures_pkey" PRIMARY KEY ("user_id")
);
