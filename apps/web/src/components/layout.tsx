import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, NavLink, Outlet, useNavigate } from 'react-router';
import { logout, useMe } from '../api/queries.ts';
import { currentTheme, setTheme } from '../lib/theme.ts';
import { Logo } from './ui.tsx';

function ThemeToggle() {
  const [theme, setLocal] = useState(currentTheme);
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      className="btn ghost sm"
      aria-label={`Switch to ${next} theme`}
      title={`Switch to ${next} theme`}
      onClick={() => {
        setTheme(next);
        setLocal(next);
      }}
    >
      {theme === 'dark' ? '☀︎' : '☾'}
    </button>
  );
}

export function Layout() {
  const me = useMe();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const user = me.data;
  const links =
    user?.role === 'athlete'
      ? [
          ['/dashboard', 'Dashboard'],
          ['/record', 'Record'],
          ['/sessions', 'Sessions'],
          ['/trends', 'Trends'],
          ['/settings/profile', 'Settings'],
        ]
      : user
        ? [
            ['/coach', 'Teams'],
            ['/settings/profile', 'Settings'],
          ]
        : [];
  return (
    <div className="app-shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand" aria-label="Athlete Platform home">
          <Logo />
          <span>Athlete Platform</span>
        </Link>
        <nav className="nav" aria-label="Main">
          {links.map(([to, label]) => (
            <NavLink key={to} to={to!} className={({ isActive }) => (isActive ? 'active' : '')}>
              {label}
            </NavLink>
          ))}
        </nav>
        <div className="topbar-actions">
          <ThemeToggle />
          {user ? (
            <>
              <div className="user-chip">
                <span data-testid="user-name">{user.name}</span>
                <span className="role">{user.role}</span>
              </div>
              <button
                type="button"
                className="btn sm"
                onClick={async () => {
                  await logout(qc).catch(() => undefined);
                  navigate('/login');
                }}
              >
                Sign out
              </button>
            </>
          ) : null}
        </div>
      </header>
      <Outlet />
    </div>
  );
}
