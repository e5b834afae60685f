import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { type Config, configSchema } from './schema.ts';

export { type Config, configSchema };

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions {
  env?: Record<string, string | undefined>;
  /** Path of an optional YAML file; defaults to CONFIG_FILE or ./config.yaml when present. */
  configFile?: string;
  /** Values that win over both (tests). */
  overrides?: Partial<Record<keyof Config, unknown>>;
}

/**
 * Parses configuration once: config.yaml (optional), then the environment on top, then
 * overrides. Throws ConfigError naming every offending variable.
 */
export function loadConfig(opts: LoadConfigOptions = {}): Config {
  const env = opts.env ?? process.env;
  const file = opts.configFile ?? env.CONFIG_FILE ?? (existsSync('config.yaml') ? 'config.yaml' : undefined);
  let fromFile: Record<string, unknown> = {};
  if (file) {
    if (!existsSync(file)) throw new ConfigError([`CONFIG_FILE: ${file} does not exist`]);
    try {
      const parsed: unknown = parseYaml(readFileSync(file, 'utf8'));
      if (parsed != null && (typeof parsed !== 'object' || Array.isArray(parsed))) {
        throw new Error('top level must be a mapping of VARIABLE: value');
      }
      fromFile = (parsed ?? {}) as Record<string, unknown>;
    } catch (err) {
      throw new ConfigError([`${file}: ${(err as Error).message}`]);
    }
    const known = new Set(Object.keys(configSchema.shape));
    const unknown = Object.keys(fromFile).filter((k) => !known.has(k));
    if (unknown.length) throw new ConfigError(unknown.map((k) => `${file}: unknown setting ${k}`));
  }
  const fromEnv: Record<string, unknown> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== '') fromEnv[key] = v;
  }
  const result = configSchema.safeParse({ ...fromFile, ...fromEnv, ...opts.overrides });
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  return result.data;
}

/**
 * The one start-up read of configuration for every process: on a bad value it prints each
 * offending variable and exits with EX_CONFIG (78), so an operator sees what to fix.
 */
export function loadConfigOrExit(opts: LoadConfigOptions = {}): Config {
  try {
    return loadConfig(opts);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
}
