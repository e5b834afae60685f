// Finds the event-loop stalls in a V8 .cpuprofile of the main thread: stretches of at least
// minMs without an "(idle)" sample, i.e. the loop never waited for I/O. For each one it prints
// when it happened, how long it ran, the functions with the most self time in it and the
// project functions (apps/, packages/) with the most inclusive time, so a rare 100 ms stall
// that hides in a whole-run summary gets its own breakdown.
//   node apps/api/bench/profile-stalls.mjs <file.cpuprofile> [minMs=50] [top=8] [fromS=5]
// fromS skips start-up (module loading, migrations), which is one long stretch by nature.
import { readProfile } from './cpuprofile.mjs';

const [file, minArg, topArg, fromArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: profile-stalls.mjs <file.cpuprofile> [minMs=50] [top=8] [fromS=5]\n');
  process.exit(2);
}
const minUs = Number(minArg ?? 50) * 1000;
const top = Number(topArg ?? 8);
const fromUs = Number(fromArg ?? 5) * 1e6;
const { profile, byId, parent, label, times, durationUs } = readProfile(file);
const isIdle = (id) => byId.get(id).callFrame.functionName === '(idle)';
const ours = (id) => /\/(apps|packages)\/[^/]+\/src\//.test(byId.get(id).callFrame.url ?? '');

const stalls = [];
let start = -1;
for (let i = 0; i <= profile.samples.length; i++) {
  const busy = i < profile.samples.length && !isIdle(profile.samples[i]);
  if (busy && start < 0) start = i;
  if (!busy && start >= 0) {
    const end = i; // exclusive
    const us = (times[end] ?? times[end - 1]) - times[start];
    if (us >= minUs && times[start] >= fromUs) stalls.push({ start, end, us });
    start = -1;
  }
}

const sorted = (map, n) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n);
const ms = (us) => `${(us / 1000).toFixed(1).padStart(6)} ms`;
process.stdout.write(
  `${file}: ${(durationUs / 1e6).toFixed(1)} s sampled, ${stalls.length} stretches ≥ ${minUs / 1000} ms without idle after ${fromUs / 1e6} s\n`,
);
for (const s of stalls) {
  const self = new Map();
  const incl = new Map();
  for (let i = s.start; i < s.end; i++) {
    const dt = (times[i + 1] ?? times[i]) - times[i];
    const id = profile.samples[i];
    self.set(label(id), (self.get(label(id)) ?? 0) + dt);
    const seen = new Set();
    for (let p = id; p !== undefined; p = parent.get(p)) {
      if (!ours(p)) continue;
      const l = label(p);
      if (seen.has(l)) continue;
      seen.add(l);
      incl.set(l, (incl.get(l) ?? 0) + dt);
    }
  }
  process.stdout.write(`\n▸ at ${(times[s.start] / 1e6).toFixed(2)} s: ${ms(s.us)} busy\n  self:\n`);
  for (const [k, us] of sorted(self, top)) process.stdout.write(`   ${ms(us)}  ${k}\n`);
  process.stdout.write('  inclusive (project code):\n');
  for (const [k, us] of sorted(incl, top)) process.stdout.write(`   ${ms(us)}  ${k}\n`);
}
