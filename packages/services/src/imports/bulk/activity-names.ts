import { parse } from 'csv-parse/sync';

/**
 * Names from a Strava bulk export's `activities.csv`, by the file path it names ("Filename",
 * e.g. `activities/123.fit.gz`); columns are found by header, since their order and count vary
 * between exports (some names repeat). An unreadable CSV gives no names, never a failure.
 */
export function activityNamesFromCsv(csv: string): Map<string, string> {
  const names = new Map<string, string>();
  let rows: string[][];
  try {
    rows = parse(csv, { relax_column_count: true, skip_empty_lines: true, bom: true }) as string[][];
  } catch {
    return names;
  }
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
  const nameAt = header.indexOf('activity name');
  const fileAt = header.indexOf('filename');
  if (nameAt === -1 || fileAt === -1) return names;
  for (const row of rows.slice(1)) {
    const file = row[fileAt]?.trim();
    const name = row[nameAt]?.trim();
    if (file && name) names.set(file, name.slice(0, 120));
  }
  return names;
}
