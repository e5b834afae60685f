import { fileCreditRule, recordingIntervalS } from './clean.ts';
import { haversineM } from './gpx.ts';
import type { ExportActivity } from './types.ts';
import { escapeXml, xmlTime } from './xml.ts';

const num = (value: number, digits: number) => String(Number(value.toFixed(digits)));

/** A jump this long between two points that the stored distance did not follow is a break. */
const SEGMENT_JUMP_M = 25;

/**
 * Writes one activity as a GPX 1.1 track, HR/cadence/speed in Garmin's TrackPointExtension and
 * power as <power>. A break the stored distance did not cover (a pause by the import rule, or a
 * jump over 25 m, across which the distance grew by less than half the straight line, e.g. a
 * GPX segment break) starts a new segment, so reading the file back adds no distance across
 * it; gaps the distance did cover (smart recording) stay in one segment. GPX
 * points need a position, so samples without one are left out; null when none has one.
 */
export function encodeGpxSession(activity: ExportActivity): string | null {
  const located = activity.samples.filter((s) => s.lat !== undefined && s.lon !== undefined);
  const { maxCreditS } = fileCreditRule(recordingIntervalS(located));
  const points: string[] = [];
  let previous: (typeof located)[number] | undefined;
  for (const s of located) {
    if (s.lat === undefined || s.lon === undefined) continue;
    if (previous?.lat !== undefined && previous.lon !== undefined) {
      const line = haversineM(previous.lat, previous.lon, s.lat, s.lon);
      const covered =
        s.distance !== undefined && previous.distance !== undefined ? s.distance - previous.distance : 0;
      const gap = s.ts - previous.ts > maxCreditS * 1000 || line > SEGMENT_JUMP_M;
      if (gap && covered < line / 2) points.push('</trkseg><trkseg>');
    }
    previous = s;
    const tpx = [
      s.hr === undefined ? '' : `<gpxtpx:hr>${Math.round(s.hr)}</gpxtpx:hr>`,
      s.cadence === undefined ? '' : `<gpxtpx:cad>${Math.round(s.cadence)}</gpxtpx:cad>`,
      s.speed === undefined ? '' : `<gpxtpx:speed>${num(s.speed, 3)}</gpxtpx:speed>`,
    ].join('');
    const extensions =
      tpx === '' && s.power === undefined
        ? ''
        : `<extensions>${s.power === undefined ? '' : `<power>${Math.round(s.power)}</power>`}${
            tpx === '' ? '' : `<gpxtpx:TrackPointExtension>${tpx}</gpxtpx:TrackPointExtension>`
          }</extensions>`;
    points.push(
      `<trkpt lat="${num(s.lat, 7)}" lon="${num(s.lon, 7)}">${
        s.alt === undefined ? '' : `<ele>${num(s.alt, 2)}</ele>`
      }<time>${xmlTime(s.ts)}</time>${extensions}</trkpt>`,
    );
  }
  if (points.length === 0) return null;
  const name = activity.name === null ? '' : `<name>${escapeXml(activity.name)}</name>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<gpx version="1.1" creator="Athlete Platform" xmlns="http://www.topografix.com/GPX/1/1"' +
      ' xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v2">',
    `<metadata>${name}<time>${xmlTime(activity.startedAt.getTime())}</time></metadata>`,
    `<trk>${name}<type>${escapeXml(activity.sport ?? 'other')}</type><trkseg>`,
    ...points,
    '</trkseg></trk>',
    '</gpx>',
    '',
  ].join('\n');
}
