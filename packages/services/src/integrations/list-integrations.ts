import type { Integration } from '@athlete/contracts';
import { PROVIDER_IDS, providerSettings } from '../connections/provider-config.ts';
import type { Deps } from '../deps.ts';
import { toIntegrationView } from './integration-views.ts';

/** Both providers for the signed-in user: configured?, status, last sync, current run, last error. */
export async function listIntegrations({
  deps,
  userId,
}: {
  deps: Pick<Deps, 'db' | 'config'>;
  userId: string;
}): Promise<Integration[]> {
  const connections = await deps.db.prisma.providerConnection.findMany({
    where: { userId },
    include: { syncRuns: { orderBy: { createdAt: 'desc' }, take: 10 } },
  });
  return PROVIDER_IDS.map((provider) =>
    toIntegrationView(
      provider,
      providerSettings(deps.config, provider) !== null,
      connections.find((c) => c.provider === provider) ?? null,
    ),
  );
}
