import { type AuthzRow, expectAll } from '../harness.ts';

/** Operational endpoints: public by design (metrics are meant to be firewalled, not signed in). */
const rows: AuthzRow[] = [
  { method: 'GET', url: '/healthz', expect: expectAll(200) },
  { method: 'GET', url: '/readyz', expect: expectAll(200) },
  { method: 'GET', url: '/metrics', expect: expectAll(200) },
  { method: 'GET', url: '/api/v1/config', expect: expectAll(200) },
];

export default rows;
