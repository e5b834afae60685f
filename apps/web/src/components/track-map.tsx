import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { useEffect, useRef, useState } from 'react';
import { cssVar } from '../charts/setup.ts';
import { mapTileConfig } from '../lib/map-config.ts';

export type LatLngTuple = [number, number];

/**
 * A GPS track on a Leaflet map. Tiles come from the configured URL; when they cannot be
 * loaded (offline, blocked) the layer is dropped and the track stays on a plain background.
 * For live use, pass a growing `points` array and a changing `version`: the polyline is
 * updated in place, the map is not rebuilt.
 */
export function TrackMap({
  points,
  version = 0,
  follow = false,
  label,
  small = false,
}: {
  points: readonly LatLngTuple[];
  version?: number;
  follow?: boolean;
  label: string;
  small?: boolean;
}) {
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const line = useRef<L.Polyline | null>(null);
  const start = useRef<L.CircleMarker | null>(null);
  const head = useRef<L.CircleMarker | null>(null);
  const fitted = useRef(false);
  const [tiles, setTiles] = useState<'loading' | 'ok' | 'failed'>('loading');

  useEffect(() => {
    if (!el.current) return;
    const m = L.map(el.current, { zoomControl: true, attributionControl: true });
    map.current = m;
    m.setView([51.5, -0.1], 13);
    const accent = cssVar('--track', '#ff5a5f');
    line.current = L.polyline([], {
      color: accent,
      weight: 4,
      opacity: 0.95,
      lineJoin: 'round',
      className: 'track-line',
    }).addTo(m);
    start.current = L.circleMarker([0, 0], {
      radius: 6,
      color: '#fff',
      weight: 2,
      fillColor: '#2fbf71',
      fillOpacity: 1,
    });
    head.current = L.circleMarker([0, 0], {
      radius: 7,
      color: '#fff',
      weight: 2,
      fillColor: accent,
      fillOpacity: 1,
    });
    let cancelled = false;
    let layer: L.TileLayer | null = null;
    void mapTileConfig().then((cfg) => {
      if (cancelled) return;
      let loaded = 0;
      let failed = 0;
      layer = L.tileLayer(cfg.url, { attribution: cfg.attribution, maxZoom: 19, crossOrigin: true });
      layer.on('tileload', () => {
        loaded++;
        setTiles('ok');
      });
      layer.on('tileerror', () => {
        failed++;
        if (loaded === 0 && failed >= 1 && layer) {
          m.removeLayer(layer);
          setTiles('failed');
        }
      });
      layer.addTo(m);
    });
    const ro = new ResizeObserver(() => m.invalidateSize());
    ro.observe(el.current);
    return () => {
      cancelled = true;
      ro.disconnect();
      m.remove();
      map.current = null;
    };
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: version signals in-place growth of points
  useEffect(() => {
    const m = map.current;
    if (!m || !line.current) return;
    const latlngs = points as LatLngTuple[];
    line.current.setLatLngs(latlngs);
    const first = latlngs[0];
    const last = latlngs[latlngs.length - 1];
    if (first && start.current) start.current.setLatLng(first).addTo(m);
    if (last && head.current) head.current.setLatLng(last).addTo(m);
    if (latlngs.length >= 2 && (!fitted.current || !follow)) {
      m.fitBounds(line.current.getBounds(), { padding: [24, 24], maxZoom: 17 });
      fitted.current = true;
    } else if (last && follow) {
      if (!m.getBounds().pad(-0.15).contains(last)) m.panTo(last, { animate: false });
    }
  }, [points, version, follow]);

  return (
    <div
      className={`map${small ? ' sm' : ''}`}
      role="img"
      aria-label={label}
      data-testid="track-map"
      data-tiles={tiles}
    >
      <div ref={el} style={{ position: 'absolute', inset: 0 }} />
      {points.length < 2 ? (
        <div className="map-note">No GPS track</div>
      ) : tiles === 'failed' ? (
        <div className="map-note">Map tiles unavailable: track shown on a plain background</div>
      ) : null}
    </div>
  );
}
