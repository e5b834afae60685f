import { pipeline } from 'node:stream';
import type { ObjectStore } from '@athlete/platform';
import { parse } from 'csv-parse';
import { openSampleArchive, SAMPLE_ARCHIVE_PREFIX } from '../maintenance/sample-partitions.ts';

const ARCHIVE_KEY = /^archive\/samples\/\d{4}-\d{2}\.csv\.gz$/;

/**
 * One sample as the export writes it: `ts` as an ISO string (sorts as time) and every column's
 * value in the export's CSV form (rr as "a;b", null as empty).
 */
export interface ExportSample {
  ts: string;
  values: Record<string, unknown>;
}

/** Postgres array text ("{450,460}") in the export's form ("450;460"). */
function rrOf(text: string | undefined): string {
  if (!text || text === '{}') return '';
  return text.replace(/^\{|\}$/g, '').replaceAll(',', ';');
}

/**
 * An athlete's rows of one sample archive, oldest first, each instant once. The archive (every
 * athlete's rows of a month, gzip CSV with a header, possibly several gzip members when late
 * samples were appended) is streamed from the object store through gunzip and the CSV parser;
 * only this athlete's rows are kept, so memory holds one athlete-month at most, whatever the
 * archive's size. Members are each sorted, not together, hence the sort.
 */
export async function archiveRowsOf(
  objects: ObjectStore,
  key: string,
  athleteId: string,
  columns: readonly string[],
): Promise<ExportSample[]> {
  const text = await openSampleArchive(objects, key);
  if (!text) return [];
  // A failure anywhere (store, gunzip, parser) destroys every stage and ends the loop below.
  const records = pipeline(text, parse({ columns: true, skip_empty_lines: true }), () => {});
  const rows: ExportSample[] = [];
  for await (const record of records as AsyncIterable<Record<string, string>>) {
    if (record.athlete_id !== athleteId || !record.ts) continue;
    const values: Record<string, unknown> = {};
    for (const c of columns) values[c] = c === 'rr' ? rrOf(record.rr) : record[c];
    rows.push({ ts: record.ts, values });
  }
  rows.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  return rows.filter((r, i) => i === 0 || rows[i - 1]!.ts !== r.ts);
}

/** The keys of every monthly sample archive, oldest month first. */
export async function listSampleArchiveKeys(objects: ObjectStore): Promise<string[]> {
  const keys: string[] = [];
  for await (const { key } of objects.list(SAMPLE_ARCHIVE_PREFIX)) if (ARCHIVE_KEY.test(key)) keys.push(key);
  // YYYY-MM in the key: the lexical order is the time order.
  return keys.sort();
}
