import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, configSchema, loadConfig } from '../src/index.ts';

function yamlFile(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
  const file = join(dir, 'config.yaml');
  writeFileSync(file, text);
  return file;
}

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('selects the embedded defaults when nothing is set', () => {
    const c = loadConfig({ env: {} });
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.REDIS_URL).toBeUndefined();
    expect(c.S3_BUCKET).toBeUndefined();
    expect(c.PORT).toBe(3000);
    expect(c.DATA_FREQUENCY).toBe(1);
  });

  it('reads config.yaml and lets the environment win', () => {
    const file = yamlFile('PORT: 4000\nLOG_LEVEL: debug\nCORS_ORIGINS:\n  - https://a.example\n');
    const c = loadConfig({ env: { PORT: '5000' }, configFile: file });
    expect(c.PORT).toBe(5000);
    expect(c.LOG_LEVEL).toBe('debug');
    expect(c.CORS_ORIGINS).toEqual(['https://a.example']);
  });

  it('names each invalid variable', () => {
    const issues = issuesOf(() =>
      loadConfig({ env: { PORT: 'eighty', DATABASE_URL: 'mysql://x', SIMULATION_MODE: 'maybe' } }),
    );
    expect(issues.some((i) => i.startsWith('PORT:'))).toBe(true);
    expect(issues.some((i) => i.startsWith('DATABASE_URL:') && i.includes('postgres://'))).toBe(true);
    expect(issues.some((i) => i.startsWith('SIMULATION_MODE:'))).toBe(true);
  });

  it('refuses a config.yaml with unknown keys, bad YAML or a bad value', () => {
    expect(issuesOf(() => loadConfig({ env: {}, configFile: yamlFile('PROT: 1\n') }))[0]).toContain(
      'unknown setting PROT',
    );
    expect(issuesOf(() => loadConfig({ env: {}, configFile: yamlFile('PORT: [1\n') }))[0]).toContain(
      'config.yaml',
    );
    expect(issuesOf(() => loadConfig({ env: {}, configFile: yamlFile('PORT: -4\n') }))[0]).toMatch(/^PORT:/);
    expect(issuesOf(() => loadConfig({ env: {}, configFile: '/nonexistent.yaml' }))[0]).toContain(
      'does not exist',
    );
  });

  it('reads TRUST_PROXY as a boolean or a list of trusted peers (private networks by default)', () => {
    const trust = (v?: string) => loadConfig({ env: v === undefined ? {} : { TRUST_PROXY: v } }).TRUST_PROXY;
    expect(trust()).toBe('loopback,linklocal,uniquelocal');
    expect(trust('false')).toBe(false);
    expect(trust('true')).toBe(true);
    expect(trust('10.0.0.0/8, 127.0.0.1')).toBe('10.0.0.0/8, 127.0.0.1');
  });

  it('reads SYNC_NOW_PER_HOUR as a positive whole number (10 by default), naming it otherwise', () => {
    expect(loadConfig({ env: {} }).SYNC_NOW_PER_HOUR).toBe(10);
    expect(loadConfig({ env: { SYNC_NOW_PER_HOUR: '3' } }).SYNC_NOW_PER_HOUR).toBe(3);
    for (const bad of ['0', '-2', '2.5', 'ten']) {
      const issues = issuesOf(() => loadConfig({ env: { SYNC_NOW_PER_HOUR: bad } }));
      expect(issues, bad).toHaveLength(1);
      expect(issues[0], bad).toMatch(/^SYNC_NOW_PER_HOUR:/);
    }
  });

  it('has every setting documented in .env.example', () => {
    const example = readFileSync(join(import.meta.dirname, '../../../.env.example'), 'utf8');
    const missing = Object.keys(configSchema.shape).filter(
      (k) => !new RegExp(`^#? ?${k}=`, 'm').test(example),
    );
    expect(missing).toEqual([]);
  });
});

describe('README', () => {
  it('documents every setting in its configuration table', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8');
    const missing = Object.keys(configSchema.shape).filter((k) => !readme.includes(`\`${k}\``));
    expect(missing).toEqual([]);
  });
});
