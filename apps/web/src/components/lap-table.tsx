import type { SessionLap } from '../api/types.ts';
import { formatBpm, formatDistance, formatDuration, formatPace, showsPace } from '../lib/format.ts';

/** The laps the file recorded, as the device counted them (moving time, distance, HR; pace on foot). */
export function LapTable({
  laps,
  sessionStart,
  sport,
}: {
  laps: readonly SessionLap[];
  sessionStart: string;
  sport: string | null;
}) {
  const t0 = Date.parse(sessionStart);
  const pace = showsPace(sport);
  return (
    <div className="table-wrap">
      <table className="table stackable" data-testid="lap-table">
        <thead>
          <tr>
            <th scope="col">Lap</th>
            <th scope="col" className="right">
              Starts at
            </th>
            <th scope="col" className="right">
              Moving time
            </th>
            <th scope="col" className="right">
              Distance
            </th>
            {pace ? (
              <th scope="col" className="right">
                Pace
              </th>
            ) : null}
            <th scope="col" className="right">
              Avg HR
            </th>
            <th scope="col" className="right">
              Max HR
            </th>
          </tr>
        </thead>
        <tbody>
          {laps.map((lap) => (
            <tr key={lap.index}>
              <td className="lead">{lap.index + 1}</td>
              <td className="right num" data-label="Starts at">
                {formatDuration((Date.parse(lap.startedAt) - t0) / 1000)}
              </td>
              <td className="right num" data-label="Moving time">
                {formatDuration(lap.movingTimeS ?? lap.elapsedS)}
              </td>
              <td className="right num" data-label="Distance">
                {formatDistance(lap.distanceM)}
              </td>
              {pace ? (
                <td className="right num" data-label="Pace">
                  {formatPace(lap.avgSpeed)}
                </td>
              ) : null}
              <td className="right num" data-label="Avg HR">
                {formatBpm(lap.avgHr)}
              </td>
              <td className="right num" data-label="Max HR">
                {formatBpm(lap.maxHr)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
