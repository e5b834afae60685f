-- Monthly partitions of samples, named samples_yYYYYmMM, bounded by UTC month starts.

-- Creates the partitions covering every month that intersects [from_ts, to_ts]. Idempotent and
-- safe to call concurrently: a transaction-scoped advisory lock serialises creators, so two
-- writers racing into a new month do not both try to create it.
CREATE FUNCTION ensure_sample_partitions(from_ts timestamptz, to_ts timestamptz)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
  month_start timestamptz := date_trunc('month', from_ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  month_end   timestamptz;
  part_name   text;
  created     integer := 0;
BEGIN
  IF to_ts < from_ts THEN
    RAISE EXCEPTION 'ensure_sample_partitions: to_ts (%) is before from_ts (%)', to_ts, from_ts;
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('samples_partitions'));
  WHILE month_start <= to_ts LOOP
    month_end := ((month_start AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC';
    part_name := 'samples_' || to_char(month_start AT TIME ZONE 'UTC', '"y"YYYY"m"MM');
    IF to_regclass(quote_ident(part_name)) IS NULL THEN
      EXECUTE format(
        'CREATE TABLE %I PARTITION OF samples FOR VALUES FROM (%L) TO (%L)',
        part_name, month_start, month_end
      );
      created := created + 1;
    END IF;
    month_start := month_end;
  END LOOP;
  RETURN created;
END;
$$;

-- Drops whole monthly partitions that end on or before cutoff (retention policy). Returns the
-- names of the dropped partitions.
CREATE FUNCTION drop_sample_partitions_before(cutoff timestamptz)
RETURNS SETOF text
LANGUAGE plpgsql
AS $$
DECLARE
  part record;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('samples_partitions'));
  FOR part IN
    SELECT c.relname AS name
    FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'samples'::regclass AND c.relname ~ '^samples_y[0-9]{4}m[0-9]{2}$'
    ORDER BY c.relname
  LOOP
    IF (to_timestamp(substr(part.name, 10, 4) || substr(part.name, 15, 2), 'YYYYMM') AT TIME ZONE 'UTC')
         AT TIME ZONE 'UTC' + interval '1 month' <= cutoff THEN
      EXECUTE format('DROP TABLE %I', part.name);
      RETURN NEXT part.name;
    END IF;
  END LOOP;
END;
$$;

-- The months around the first deployment, so writes work before the upkeep job first runs.
SELECT ensure_sample_partitions(now() - interval '1 month', now() + interval '2 months');
