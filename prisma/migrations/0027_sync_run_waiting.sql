-- A Garmin backfill is "waiting" once its requests are accepted: Garmin sends the data later, by
-- ping/push, for minutes. The run is done only when that data has stopped arriving (or a stated
-- wait has passed), not when the requests were answered.
ALTER TYPE "SyncStatus" ADD VALUE IF NOT EXISTS 'waiting' AFTER 'running';
