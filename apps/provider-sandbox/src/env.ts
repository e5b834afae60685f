import { z } from 'zod';

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(4010),
  HOST: z.string().default('127.0.0.1'),
  SANDBOX_DAYS: z.coerce.number().int().min(1).max(3_650).default(365),
  SANDBOX_PUBLIC_URL: z.string().url().optional(),
  GARMIN_NOTIFICATION_URL: z.string().url().optional(),
  SANDBOX_LOG: z.enum(['true', 'false']).default('true'),
});

export type SandboxEnv = z.infer<typeof envSchema>;

/** The only place the sandbox reads the environment. */
export function loadSandboxEnv(env: NodeJS.ProcessEnv = process.env): SandboxEnv {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('\n');
    throw new Error(`invalid provider-sandbox environment:\n${problems}`);
  }
  return parsed.data;
}
