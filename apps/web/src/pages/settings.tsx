import { Navigate, NavLink, useParams } from 'react-router';
import { useMe } from '../api/queries.ts';
import { AccountSection } from './settings/account.tsx';
import { AlertsSection } from './settings/alerts.tsx';
import { BackgroundWorkSection } from './settings/background-work.tsx';
import { CalendarSection } from './settings/calendar.tsx';
import { DevicesSection } from './settings/devices.tsx';
import { DisplaySection } from './settings/display.tsx';
import { ImportSection } from './settings/import.tsx';
import { IntegrationsSection } from './settings/integrations.tsx';
import { ProfileSection } from './settings/profile.tsx';
import { TeamsSection } from './settings/teams.tsx';

const SECTIONS = [
  { id: 'profile', label: 'Profile & zones', athleteOnly: true },
  { id: 'alerts', label: 'Alert thresholds', athleteOnly: true },
  { id: 'teams', label: 'Teams & sharing', athleteOnly: true },
  { id: 'display', label: 'Units & time', athleteOnly: false },
  { id: 'devices', label: 'Devices & keys', athleteOnly: false },
  { id: 'integrations', label: 'Integrations', athleteOnly: true },
  { id: 'import', label: 'Import files', athleteOnly: true },
  { id: 'calendar', label: 'Calendar feed', athleteOnly: true },
  { id: 'work', label: 'Background work', athleteOnly: false },
  { id: 'account', label: 'Data & account', athleteOnly: false },
] as const;

export default function SettingsPage() {
  const { section } = useParams();
  const me = useMe().data!;
  const visible = SECTIONS.filter((s) => me.role === 'athlete' || !s.athleteOnly);
  const current = visible.find((s) => s.id === section);
  if (!current) return <Navigate to={`/settings/${visible[0]!.id}`} replace />;
  return (
    <main className="page" id="main">
      <div className="page-header">
        <div>
          <h1>Settings</h1>
          <p className="subtitle">{current.label}</p>
        </div>
      </div>
      <div className="settings-layout">
        <nav className="settings-nav" aria-label="Settings sections">
          {visible.map((s) => (
            <NavLink
              key={s.id}
              to={`/settings/${s.id}`}
              className={({ isActive }) => (isActive ? 'active' : '')}
            >
              {s.label}
            </NavLink>
          ))}
        </nav>
        <div className="stack lg">
          {current.id === 'profile' ? <ProfileSection /> : null}
          {current.id === 'alerts' ? <AlertsSection /> : null}
          {current.id === 'teams' ? <TeamsSection /> : null}
          {current.id === 'display' ? <DisplaySection /> : null}
          {current.id === 'devices' ? <DevicesSection /> : null}
          {current.id === 'integrations' ? <IntegrationsSection /> : null}
          {current.id === 'import' ? <ImportSection /> : null}
          {current.id === 'calendar' ? <CalendarSection /> : null}
          {current.id === 'work' ? <BackgroundWorkSection /> : null}
          {current.id === 'account' ? <AccountSection /> : null}
        </div>
      </div>
    </main>
  );
}
