/** The demo's sign-in (SIMULATION_MODE=true), shown at boot and in the README. */
export const DEMO_PASSWORD = 'demo-password';
export const DEMO_COACH_EMAIL = 'coach@demo.local';
export const DEMO_TEAM_NAME = 'Demo Team';
