-- Sign-up by emailed link (issue #12.10): with SIGNUP_EMAIL_VERIFICATION=on a registration is
-- held as an account_tokens row until the link mailed to the address is followed, and only then
-- becomes a user. Such a row has no user yet: it carries the address (new_email), the name, the
-- role and the scrypt hash of the chosen password (never the password itself).
ALTER TYPE "AccountTokenPurpose" ADD VALUE IF NOT EXISTS 'signup';

ALTER TABLE "account_tokens" ALTER COLUMN "user_id" DROP NOT NULL;
ALTER TABLE "account_tokens" ADD COLUMN "signup_name" TEXT;
ALTER TABLE "account_tokens" ADD COLUMN "signup_role" "Role";
ALTER TABLE "account_tokens" ADD COLUMN "password_hash" TEXT;
-- A row without a user is a whole pending sign-up (the new enum value cannot be named in the
-- transaction that adds it, so the rule is stated by the columns).
ALTER TABLE "account_tokens" ADD CONSTRAINT "account_tokens_signup_whole" CHECK (
  "user_id" IS NOT NULL
  OR ("new_email" IS NOT NULL AND "signup_name" IS NOT NULL AND "signup_role" IS NOT NULL
      AND "password_hash" IS NOT NULL)
);
-- Redeeming one sign-up link drops the address's other pending ones.
CREATE INDEX "account_tokens_new_email_purpose_idx" ON "account_tokens" ("new_email", "purpose");
