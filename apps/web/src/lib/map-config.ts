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
 * Tile source: `VITE_MAP_TILE_URL` at build time wins; else OpenStreetMap. (The server's
 * `/api/v1/config` names no tile source: `publicConfigSchema` has none.)
 */
export function mapTileConfig(): Promise<TileConfig> {
  if (cached) return cached;
  const built = import.meta.env.VITE_MAP_TILE_URL as string | undefined;
  cached = Promise.resolve(
    built
      ? { url: built, attribution: (import.meta.env.VITE_MAP_ATTRIBUTION as string | undefined) ?? '' }
      : OSM,
  );
  return cached;
}
