-- Single-use links sent by email (issue #17): password reset and email change confirmation.
-- Only the SHA-256 of the token is stored (the token itself exists only in the mail), so a
-- database leak yields no usable link. A used row keeps used_at so a second click can be told
-- "already used"; the account's other unused rows of the same purpose are deleted on use.
CREATE TYPE "AccountTokenPurpose" AS ENUM ('password_reset', 'email_change');

CREATE TABLE "account_tokens" (
  "id"         UUID                  NOT NULL DEFAULT gen_random_uuid(),
  "user_id"    UUID                  NOT NULL,
  "purpose"    "AccountTokenPurpose" NOT NULL,
  "token_hash" TEXT                  NOT NULL,
  -- The address an email change moves to (null for password resets).
  "new_email"  TEXT,
  "created_at" TIMESTAMPTZ(3)        NOT NULL DEFAULT CURRENT_TIMESTAMP,
  "expires_at" TIMESTAMPTZ(3)        NOT NULL,
  "used_at"    TIMESTAMPTZ(3),
  CONSTRAINT "account_tokens_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "account_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id")
    ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "account_tokens_token_hash_key" ON "account_tokens" ("token_hash");
CREATE INDEX "account_tokens_user_id_purpose_idx" ON "account_tokens" ("user_id", "purpose");
CREATE INDEX "account_tokens_expires_at_idx" ON "account_tokens" ("expires_at");

-- Part of every login throttle key of the account: a password reset bumps it, so the locks
-- built up against the account from any address no longer apply (the owner's way back in).
ALTER TABLE "users" ADD COLUMN "login_epoch" INTEGER NOT NULL DEFAULT 0;
