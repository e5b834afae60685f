-- A coach can revoke a pending invite; a revoked invite can no longer be accepted.
ALTER TABLE "team_invites"
  ADD COLUMN "revoked_at"    TIMESTAMPTZ(3),
  ADD COLUMN "revoked_by_id" UUID;
