import { ZONE_NAMES } from '@athlete/core';
import { formatDuration } from '../lib/format.ts';
import { zoneColorVar } from '../lib/zones.ts';

/** Time in zones 1..5 as labelled bars (name, bar, time and share), readable without colour. */
export function ZoneBars({ seconds }: { seconds: readonly number[] }) {
  const total = seconds.reduce((a, b) => a + (b || 0), 0);
  return (
    <ul className="zone-bars" aria-label="Time in heart-rate zones">
      {ZONE_NAMES.map((name, i) => {
        const s = seconds[i] ?? 0;
        const share = total > 0 ? s / total : 0;
        return (
          <li
            className="zone-bar"
            key={name}
            aria-label={`Zone ${i + 1} ${name}: ${formatDuration(s)}, ${Math.round(share * 100)} percent`}
          >
            <span className="name">
              <span className="dot" style={{ color: zoneColorVar(i + 1) }} />Z{i + 1} {name}
            </span>
            <span className="track">
              <span
                className="fill"
                style={{ display: 'block', width: `${share * 100}%`, background: zoneColorVar(i + 1) }}
              />
            </span>
            <span className="num small right" style={{ textAlign: 'right' }}>
              {formatDuration(s)} <span className="faint">{Math.round(share * 100)}%</span>
            </span>
          </li>
        );
      })}
    </ul>
  );
}
