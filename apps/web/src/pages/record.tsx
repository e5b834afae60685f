import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { usePublicConfig } from '../api/analytics-queries.ts';
import { useMe, useProfile } from '../api/queries.ts';
import { LiveHrChart } from '../charts/live-hr-chart.tsx';
import { HrHero } from '../components/live-panel.tsx';
import { ReadinessCheckCard } from '../components/readiness-check.tsx';
import { SpeechSwitch, useSpeechSwitch } from '../components/speech-switch.tsx';
import { Card, Notice, Stat } from '../components/ui.tsx';
import {
  type BluetoothSupport,
  bluetoothSupport,
  connectHeartRateStrap,
  type StrapConnection,
} from '../lib/bluetooth.ts';
import { formatDuration } from '../lib/format.ts';
import { type IngestStatus, IngestStream } from '../lib/ingest-stream.ts';
import { SampleOutbox } from '../lib/sample-outbox.ts';
import { browserSpeech, SplitAnnouncer, speakLatest, ZoneAnnouncer } from '../lib/speech.ts';
import { TrackDistance } from '../lib/track-distance.ts';
import { readZone, serverZones, type ZoneSetup } from '../lib/zones.ts';
import { LiveStore } from '../live/store.ts';

type StrapState = 'idle' | 'pairing' | 'connected' | 'reconnecting' | 'disconnected';

/**
 * Speaks zone changes (held 10 s) while `on.zones`, and each kilometre split of the running
 * recording while `on.splits`. Both are followed while silent, so switching on mid-run does not
 * announce at once; a burst of kilometres (a gap in the data) speaks only the latest.
 */
function useSpokenRecording(
  on: { zones: boolean; splits: boolean },
  reading: { hr: number | null; zones: ZoneSetup | null; distance: number | null; startedAt: number | null },
  now: number,
) {
  const [zone] = useState(() => new ZoneAnnouncer());
  const [splits] = useState(() => new SplitAnnouncer());
  const { hr, zones, distance, startedAt } = reading;
  const { zones: zonesOn, splits: splitsOn } = on;
  useEffect(() => {
    if (startedAt === null) {
      zone.reset();
      splits.reset();
      return;
    }
    const z = zone.update(hr === null ? null : readZone(hr, zones).zone, now);
    const split = splits.update(distance, now, startedAt);
    const out = browserSpeech();
    const text = (splitsOn ? split : null) ?? (zonesOn ? z : null);
    if (out && text) speakLatest(out, text);
  }, [zonesOn, splitsOn, hr, zones, distance, startedAt, now, zone, splits]);
}

/**
 * Distance from the device's location while `active` (spoken splits on, recording), for a
 * recording that carries none itself. Fixes stay on this device: nothing is sent.
 */
function useTrackDistance(active: boolean, startedAt: number | null): number | null {
  const [track] = useState(() => new TrackDistance());
  const [metres, setMetres] = useState<number | null>(null);
  useEffect(() => {
    if (startedAt === null) {
      track.reset();
      setMetres(null);
    }
  }, [startedAt, track]);
  useEffect(() => {
    if (!active || typeof navigator === 'undefined' || !navigator.geolocation) return;
    const id = navigator.geolocation.watchPosition(
      (p) =>
        setMetres(
          track.add({ lat: p.coords.latitude, lon: p.coords.longitude, accuracy: p.coords.accuracy }),
        ),
      () => setMetres((m) => m),
      { enableHighAccuracy: true, maximumAge: 0 },
    );
    return () => navigator.geolocation.clearWatch(id);
  }, [active, track]);
  return metres;
}

export default function RecordPage() {
  const me = useMe().data!;
  const profile = useProfile(me.role === 'athlete');
  const zones = serverZones(profile.data);
  const config = usePublicConfig();
  const [support, setSupport] = useState<BluetoothSupport | null>(null);
  const [strap, setStrap] = useState<StrapState>('idle');
  const [strapDetail, setStrapDetail] = useState<string | null>(null);
  const [deviceName, setDeviceName] = useState<string | null>(null);
  const [hr, setHr] = useState<number | null>(null);
  const [contact, setContact] = useState<string | null>(null);
  const [startedAt, setStartedAt] = useState<number | null>(null);
  const [now, setNow] = useState(Date.now());
  const [status, setStatus] = useState<IngestStatus | null>(null);
  const [badPackets, setBadPackets] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const conn = useRef<StrapConnection | null>(null);
  const stream = useRef<IngestStream | null>(null);
  // Unacknowledged samples are kept on the device (IndexedDB) per account, read back on opening.
  const [outbox] = useState(() => SampleOutbox.open(me.id));
  const [store] = useState(() => new LiveStore({ seriesSeconds: 300 }));
  const [speak, setSpeak] = useSpeechSwitch('record');
  const [speakSplits, setSpeakSplits] = useSpeechSwitch('record-splits');
  const recording = strap === 'connected' || strap === 'reconnecting';
  const tracked = useTrackDistance(speakSplits && recording, startedAt);
  useSpokenRecording(
    { zones: speak, splits: speakSplits },
    {
      hr: recording ? hr : null,
      zones,
      // The recording's own distance when it has one, else this device's location (a strap
      // alone carries none).
      distance: store.get(me.id)?.distance ?? tracked,
      startedAt,
    },
    now,
  );

  useEffect(() => {
    void bluetoothSupport().then(setSupport);
    const t = setInterval(() => setNow(Date.now()), 1000);
    let gone = false;
    // Samples an earlier page left unacknowledged (a reload, a lost connection) go out at once.
    void outbox.then(async (box) => {
      if (!box || gone || stream.current) return;
      if ((await box.load()).length > 0 && !gone)
        stream.current ??= new IngestStream(setStatus, { outbox: box });
    });
    return () => {
      gone = true;
      clearInterval(t);
      conn.current?.disconnect();
      stream.current?.close();
      stream.current = null;
    };
  }, [outbox]);

  const pair = async () => {
    setError(null);
    setStrap('pairing');
    try {
      const box = await outbox;
      stream.current ??= new IngestStream(setStatus, { outbox: box });
      const c = await connectHeartRateStrap({
        onMeasurement: (m, at) => {
          setHr(m.hr);
          setContact(m.sensorContact);
          setStartedAt((s) => s ?? at);
          store.addSample({ athleteId: me.id, ts: at, hr: m.hr });
          stream.current?.push({
            ts: at,
            hr: m.hr,
            ...(m.rrMs.length ? { rr: m.rrMs.map((v) => Math.round(v)) } : {}),
          });
        },
        onBadPacket: () => setBadPackets((n) => n + 1),
        onStatus: (s, detail) => {
          setStrap(s);
          setStrapDetail(detail ?? null);
        },
      });
      conn.current = c;
      setDeviceName(c.deviceName);
    } catch (err) {
      setStrap('idle');
      const e = err as Error;
      setError(
        e.name === 'NotFoundError'
          ? 'No strap was chosen. Wake the strap (wear it) and try again.'
          : e.message,
      );
    }
  };

  const stop = () => {
    conn.current?.disconnect();
    conn.current = null;
    setStrap('idle');
    setHr(null);
    setStartedAt(null);
  };

  const unsupported = support && !support.supported ? support : null;
  return (
    <main className="page" id="main">
      <div className="page-header">
        <div>
          <h1>Record a session</h1>
          <p className="subtitle">
            Pair a Bluetooth heart-rate strap (Polar H10, Garmin HRM, Wahoo TICKR…) and stream it live.
          </p>
        </div>
        <div className="speech-switches" style={{ display: 'grid', gap: 4, justifyItems: 'end' }}>
          <SpeechSwitch on={speak} onChange={setSpeak} label="Speak zone changes" testId="speak-record" />
          <SpeechSwitch
            on={speakSplits}
            onChange={setSpeakSplits}
            label="Speak kilometre splits"
            testId="speak-splits"
          />
          {speakSplits ? (
            <p className="small muted" data-testid="splits-note">
              Splits use this device's location to measure distance; it stays on this device.
            </p>
          ) : null}
        </div>
      </div>

      {unsupported ? (
        <Notice kind="warn" title="Web Bluetooth is not available here">
          <span data-testid="bt-unsupported">{unsupported.reason}</span> You can still stream with a{' '}
          <Link to="/settings/devices">gateway or device key</Link> (for phone apps and hubs) or run the
          simulator (<code>pnpm simulate</code>).
        </Notice>
      ) : null}
      {error ? <Notice kind="error">{error}</Notice> : null}

      <div className="live-hero">
        <HrHero hr={strap === 'connected' || strap === 'reconnecting' ? hr : null} zones={zones} />
        <Card
          title={deviceName ?? 'Heart-rate strap'}
          id="strap"
          actions={
            strap === 'connected' || strap === 'reconnecting' ? (
              <button type="button" className="btn danger" onClick={stop}>
                Stop
              </button>
            ) : (
              <button
                type="button"
                className="btn primary lg"
                onClick={pair}
                disabled={!support?.supported || strap === 'pairing'}
                data-testid="pair-strap"
              >
                {strap === 'pairing' ? 'Pairing…' : 'Pair strap'}
              </button>
            )
          }
        >
          <div className="stat-grid">
            <Stat
              id="strap-state"
              label="Strap"
              value={<span data-state={strap}>{strap === 'idle' ? 'Not paired' : strap}</span>}
              hint={strapDetail ?? (contact ? `skin contact: ${contact.replace('_', ' ')}` : undefined)}
            />
            <Stat label="Elapsed" value={formatDuration(startedAt ? (now - startedAt) / 1000 : null)} />
            <Stat
              id="upload-state"
              label="Upload"
              value={
                status
                  ? status.socket === 'open'
                    ? 'Connected'
                    : status.socket === 'reconnecting'
                      ? 'Reconnecting'
                      : status.socket
                  : '—'
              }
              hint={status ? `${status.sent} sent · ${status.pending} awaiting ack` : undefined}
            />
            <Stat label="Bad packets" value={badPackets} />
          </div>
          {status?.error ? <Notice kind="error">{status.error}</Notice> : null}
          {status && status.dropped > 0 ? (
            <Notice kind="warn">{status.dropped} samples were dropped while offline for too long.</Notice>
          ) : null}
          {status && status.restored > 0 ? (
            <Notice kind={status.pending > 0 ? 'info' : 'ok'}>
              <span data-testid="restored-samples">
                {status.pending > 0
                  ? `${status.restored} samples of your last recording were kept on this device; sending them now.`
                  : `All ${status.restored} samples kept from your last recording are stored.`}
              </span>
            </Notice>
          ) : null}
          <div style={{ marginTop: 16 }}>
            <LiveHrChart
              store={store}
              athleteId={me.id}
              zones={zones}
              showSpeed={false}
              label="Heart rate from the strap, last 5 minutes"
            />
          </div>
          <p className="small muted" style={{ marginTop: 16 }}>
            Samples are held until the server confirms them
            {status && !status.persistent
              ? ''
              : ', on this device, so a reload or a lost connection loses none'}
            ; they are sent again when the connection returns, and the server keeps each instant once.
          </p>
        </Card>
      </div>
      {me.role === 'athlete' ? (
        <ReadinessCheckCard
          athleteId={me.id}
          bluetooth={!!support?.supported && strap === 'idle'}
          hrRest={profile.data?.hrRest ?? null}
          simulator={config.data?.simulationMode ?? false}
        />
      ) : null}
    </main>
  );
}
