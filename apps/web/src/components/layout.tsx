import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
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

/**
 * The narrow-screen menu: open/closed, closed again on navigation, on Escape (focus back to the
 * button) and on a tap outside the bar.
 */
function useMenu() {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const bar = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  // biome-ignore lint/correctness/useExhaustiveDependencies: closing is the reaction to a new path
  useEffect(() => setOpen(false), [pathname]);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    const onPointer = (e: PointerEvent) => {
      if (!bar.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);
  return { open, toggle: () => setOpen((o) => !o), button, bar };
}

export function Layout() {
  const me = useMe();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const menu = useMenu();
  const user = me.data;
  const links =
    user?.role === 'athlete'
      ? [
          ['/today', 'Today'],
          ['/record', 'Record'],
          ['/sessions', 'Sessions'],
          ['/trends', 'Trends'],
          ['/calendar', 'Calendar'],
          ['/settings/profile', 'Settings'],
        ]
      : user
        ? [
            ['/coach', 'Teams'],
            ['/calendar', 'Calendar'],
            ...(user.role === 'admin' ? [['/admin/outbox', 'Outbox']] : []),
            ['/settings/profile', 'Settings'],
          ]
        : [];
  return (
    <div className="app-shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar" ref={menu.bar}>
        <Link to="/" className="brand" aria-label="Athlete Platform home">
          <Logo />
          <span>Athlete Platform</span>
        </Link>
        {user ? (
          <button
            type="button"
            ref={menu.button}
            className="btn ghost menu-button"
            aria-expanded={menu.open}
            aria-controls="main-menu"
            onClick={menu.toggle}
          >
            <span aria-hidden="true" className="menu-icon" />
            Menu
          </button>
        ) : null}
        {/* One menu for every width: a row in the bar on wide screens, a panel under it on narrow ones. */}
        <div id="main-menu" className={`menu${menu.open ? ' open' : ''}${user ? '' : ' static'}`}>
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
        </div>
      </header>
      <Outlet />
      <footer className="app-footer">
        {/* /docs: the REST API and both WebSocket protocols, generated from the contracts. */}
        <a href="/docs" target="_blank" rel="noreferrer">
          API and WebSocket documentation
        </a>
      </footer>
    </div>
  );
}
