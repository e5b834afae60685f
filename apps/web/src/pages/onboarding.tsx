import { Link } from 'react-router';
import { useDevices, useIntegrations, useMe, useProfile } from '../api/queries.ts';
import { Card } from '../components/ui.tsx';

export default function OnboardingPage() {
  const me = useMe().data!;
  const profile = useProfile();
  const devices = useDevices();
  const integrations = useIntegrations();
  const hasProfile = !!(profile.data?.hrMax || profile.data?.birthYear);
  const hasDevice = (devices.data ?? []).some((d) => !d.revokedAt);
  const hasProvider = (integrations.data ?? []).some((i) => i.status === 'active');
  const steps = [
    {
      done: hasProfile,
      title: 'Set your profile and zones',
      text: 'Birth year, HR max and resting HR give accurate zones and training load.',
      to: '/settings/profile',
      cta: 'Set profile',
    },
    {
      done: hasDevice,
      title: 'Connect a sensor',
      text: 'Pair a Bluetooth strap in this browser, or create a key for a gateway or phone app.',
      to: '/record',
      cta: 'Pair a strap',
    },
    {
      done: hasProvider,
      title: 'Connect WHOOP or Garmin',
      text: 'Bring in sleep, HRV, recovery and past activities.',
      to: '/settings/integrations',
      cta: 'Connect',
    },
  ];
  return (
    <main className="page" id="main" style={{ maxWidth: 960 }}>
      <div className="page-header">
        <div>
          <h1>Welcome, {me.name.split(' ')[0]}</h1>
          <p className="subtitle">Three steps to a useful dashboard. You can skip any of them.</p>
        </div>
        <Link className="btn" to="/today">
          Go to Today
        </Link>
      </div>
      <Card>
        <ol className="steps" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {steps.map((s, i) => (
            <li key={s.title} className={`step${s.done ? ' done' : ''}`}>
              <span className="n" aria-hidden="true">
                {s.done ? '✓' : i + 1}
              </span>
              <div className="stack" style={{ gap: 8 }}>
                <h2 style={{ fontSize: 'var(--fs-md)' }}>
                  {s.title}
                  {s.done ? <span className="visually-hidden"> (done)</span> : null}
                </h2>
                <p className="small muted">{s.text}</p>
                <Link
                  className={`btn sm${s.done ? '' : ' primary'}`}
                  to={s.to}
                  style={{ width: 'fit-content' }}
                >
                  {s.done ? 'Review' : s.cta}
                </Link>
              </div>
            </li>
          ))}
        </ol>
      </Card>
    </main>
  );
}
