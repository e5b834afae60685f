-- Where each profile value a provider can fill came from, per field: {"hrMax": "whoop",
-- "weightKg": "user"}. A provider sync updates a value it filled before and fills an unset one,
-- never one the athlete set; the athlete's edit marks a field "user", clearing it removes the
-- entry. Existing rows start with nothing recorded, which behaves as before: a value already
-- set is kept from providers, an unset one is filled.
ALTER TABLE "athlete_profiles"
  ADD COLUMN "sources" JSONB NOT NULL DEFAULT '{}'::jsonb,
  ADD CONSTRAINT "athlete_profiles_sources_object" CHECK (jsonb_typeof("sources") = 'object');
