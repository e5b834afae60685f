// Summarises a V8 .cpuprofile: top functions by self time (and by file).
//   node apps/api/bench/profile-summary.mjs <file.cpuprofile> [top=40] [fromS=0] [toS=∞]
// fromS/toS restrict it to a window (seconds after the profile started), e.g. the measured one.
import { frameWhere, readProfile } from './cpuprofile.mjs';

const [file, topArg, fromArg, toArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: profile-summary.mjs <file.cpuprofile> [top]\n');
  process.exit(2);
}
const top = Number(topArg ?? 40);
const { profile, byId, label } = readProfile(file);
const self = new Map();
const fromUs = Number(fromArg ?? 0) * 1e6;
const toUs = toArg === undefined ? Number.POSITIVE_INFINITY : Number(toArg) * 1e6;
// timeDeltas[i] is the time before samples[i]; attribute it to that sample's node.
let at = 0;
for (let i = 0; i < profile.samples.length; i++) {
  at += profile.timeDeltas[i] ?? 0;
  if (at < fromUs || at > toUs) continue;
  const id = profile.samples[i];
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const fnSelf = new Map();
const fileSelf = new Map();
for (const [id, us] of self) {
  const key = label(id);
  fnSelf.set(key, (fnSelf.get(key) ?? 0) + us);
  const f = byId.get(id).callFrame;
  const where = frameWhere(f);
  const pkg = where ? where.replace(/\/[^/]*$/, '') : f.functionName;
  fileSelf.set(pkg, (fileSelf.get(pkg) ?? 0) + us);
}
const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
const print = (title, map, n) => {
  process.stdout.write(`\n${title}\n`);
  for (const [k, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n))
    process.stdout.write(`${pct(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}\n`);
};
process.stdout.write(`${file}: ${(total / 1e6).toFixed(1)} s sampled\n`);
print('Top functions by self time', fnSelf, top);
print('Top directories by self time', fileSelf, 20);
