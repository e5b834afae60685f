// Reading a V8 .cpuprofile, shared by profile-summary.mjs and profile-stalls.mjs.
import { readFileSync } from 'node:fs';

/** A frame's file, with pnpm's store path cut down to the package's own path. */
export function frameWhere(frame) {
  if (!frame.url) return '';
  return frame.url.replace(/^file:\/\//, '').replace(/.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '');
}

/**
 * The profile with its nodes by id, each node's parent, a label per node (`function  file:line`)
 * and each sample's time (µs since the start; sample i lasts until sample i + 1).
 */
export function readProfile(file) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const label = (id) => {
    const f = byId.get(id).callFrame;
    return `${f.functionName || '(anonymous)'}  ${frameWhere(f)}:${f.lineNumber + 1}`;
  };
  const times = [];
  let at = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    times.push(at);
  }
  return { profile, byId, parent, label, times, durationUs: at };
}

// Piped into `head`: stop quietly when the reader goes away.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
