import type { AccountExport } from '@athlete/contracts';
import type { Deps } from '../deps.ts';
import { accountExportPrefix } from './export-account.ts';

/** Under the account's prefix, so account deletion removes the ZIP and its report too. */
export const accountExportZipKey = (userId: string, id: string) => `${accountExportPrefix(userId)}${id}.zip`;
const reportKey = (userId: string, id: string) => `${accountExportPrefix(userId)}${id}.json`;

/** The report of an export just asked for, before a worker has taken it. */
export function queuedAccountExport(id: string, now = new Date()): AccountExport {
  return {
    id,
    status: 'queued',
    createdAt: now.toISOString(),
    finishedAt: null,
    total: null,
    done: 0,
    phase: 'waiting for a worker',
    bytes: null,
    error: null,
  };
}

/** The job's report: one JSON object, replaced whole (as a bulk import's report is). */
export async function readAccountExport(
  deps: Pick<Deps, 'platform'>,
  userId: string,
  id: string,
): Promise<AccountExport | undefined> {
  const raw = await deps.platform.objects.get(reportKey(userId, id));
  return raw === undefined ? undefined : (JSON.parse(raw.toString('utf8')) as AccountExport);
}

export async function writeAccountExport(
  deps: Pick<Deps, 'platform'>,
  userId: string,
  report: AccountExport,
): Promise<void> {
  await deps.platform.objects.put(reportKey(userId, report.id), JSON.stringify(report), {
    contentType: 'application/json',
  });
}

/** Every export report of the account, newest first. */
export async function listAccountExports(
  deps: Pick<Deps, 'platform'>,
  userId: string,
): Promise<AccountExport[]> {
  const reports: AccountExport[] = [];
  for await (const o of deps.platform.objects.list(accountExportPrefix(userId))) {
    const id = /([0-9a-f-]{36})\.json$/.exec(o.key)?.[1];
    const report = id ? await readAccountExport(deps, userId, id) : undefined;
    if (report) reports.push(report);
  }
  return reports.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** Removes one export's ZIP and report. */
export async function deleteAccountExport(
  deps: Pick<Deps, 'platform'>,
  userId: string,
  id: string,
): Promise<void> {
  await deps.platform.objects.delete(accountExportZipKey(userId, id));
  await deps.platform.objects.delete(reportKey(userId, id));
}
