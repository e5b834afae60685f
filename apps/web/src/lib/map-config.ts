import { api } from '../api/client.ts';

export interface TileConfig {
  url: string;
  attribution: string;
}

const OSM: TileConfig = {
  url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
  attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
};

let cached: Promise<TileConfig> | null = null;

/**
 * Tile source: `VITE_MAP_TILE_URL` at build time wins; else the server's `/api/v1/config`
 * (`mapTileUrl`, `mapAttribution`) when it offers one; else OpenStreetMap.
 */
export function mapTileConfig(): Promise<TileConfig> {
  if (cached) return cached;
  const built = import.meta.env.VITE_MAP_TILE_URL as string | undefined;
  if (built) {
    cached = Promise.resolve({
      url: built,
      attribution: (import.meta.env.VITE_MAP_ATTRIBUTION as string | undefined) ?? '',
    });
    return cached;
  }
  cached = api
    .get<{ mapTileUrl?: string; mapAttribution?: string; map?: { tileUrl?: string; attribution?: string } }>(
      '/api/v1/config',
    )
    .then((c) => {
      const url = c.mapTileUrl ?? c.map?.tileUrl;
      return url ? { url, attribution: c.mapAttribution ?? c.map?.attribution ?? '' } : OSM;
    })
    .catch(() => OSM);
  return cached;
}
