// The only reader of process.env. main.ts calls loadConfig(process.env) once; tests pass their own env.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConnectionString } from 'mongodb-connection-string-url';
import { z } from 'zod';

/** The project's root folder (where package.json lives), both from src/ under tsx and from dist/src/. */
export const PROJECT_ROOT = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));

function findProjectRoot(from: string): string {
  // src/config.ts → ..; dist/src/config.js → ../..
  const up = path.basename(path.dirname(from)) === 'dist' ? 2 : 1;
  return path.resolve(from, ...Array<string>(up).fill('..'));
}

/** Business dates ("today", due dates, quarters) are Dhaka dates whatever the server's TZ. */
export const BUSINESS_TIME_ZONE = 'Asia/Dhaka' as const;

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce
  .number({ message: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

const mongoUri = z.string().superRefine((value, ctx) => {
  try {
    const cs = new ConnectionString(value);
    if (cs.hosts.length === 0) throw new Error('no host');
  } catch (err) {
    ctx.addIssue({
      code: 'custom',
      message: `is not a MongoDB connection string (expected mongodb://host:port/db or mongodb+srv://...): ${(err as Error).message}`,
    });
  }
});

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('0.0.0.0'),
    PORT: port.default(3000),
    PUBLIC_URL: z.url({ message: 'must be an absolute URL such as https://udbhabon.example.gov.bd' }).optional(),
    TRUST_PROXY: z.string().optional(),
    MONGODB_URI: mongoUri.optional(),
    DB_NAME: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,60}$/, 'may contain only letters, digits, _ and -')
      .default('udbhabon'),
    DATA_DIR: z.string().min(1).default('data'),
    ENGINE_PORT: port.default(0),
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    COOKIE_SECURE: bool.optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    SMTP_HOST: z.string().optional(),
    SMTP_PORT: port.default(587),
    SMTP_SECURE: bool.default(false),
    SMTP_USER: z.string().optional(),
    SMTP_PASS: z.string().optional(),
    MAIL_FROM: z.string().default('Udbhabon <no-reply@localhost>'),
    PUPPETEER_EXECUTABLE_PATH: z.string().optional(),
    PDF_POOL_SIZE: z.coerce.number().int().min(1).max(32).default(Math.max(1, os.availableParallelism())),
    SEED_DEMO: bool.optional(),
    DEMO_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
    SCHEDULER: bool.default(true),
    LOCKOUT_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
    LOCKOUT_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
    LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).max(10_000).default(30),
    SESSION_HOURS: z.coerce.number().min(0.1).max(24 * 30).default(8),
    TOKEN_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
    STUCK_PILOT_MONTHS: z.coerce.number().int().min(1).max(120).default(6),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.SESSION_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'is required in production (32+ random characters)' });
    }
  });

/** Every environment variable the app reads (documented in .env.example). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly host: string;
  readonly port: number;
  readonly publicUrl: string | undefined;
  readonly trustProxy: string | undefined;
  readonly timeZone: typeof BUSINESS_TIME_ZONE;
  readonly db: {
    /** Set: connect there. Unset: start the embedded engine. */
    readonly uri: string | undefined;
    readonly name: string;
    readonly enginePort: number;
  };
  readonly dataDir: string;
  readonly sessionSecret: string | undefined;
  readonly cookieSecure: boolean;
  readonly logLevel: string;
  readonly mail: {
    readonly host: string | undefined;
    readonly port: number;
    readonly secure: boolean;
    readonly user: string | undefined;
    readonly pass: string | undefined;
    readonly from: string;
  };
  readonly pdf: { readonly executablePath: string | undefined; readonly poolSize: number };
  readonly seedDemo: boolean;
  readonly demoPassword: string | undefined;
  readonly scheduler: boolean;
  readonly auth: {
    /** Failed sign-ins (within lockoutMinutes) that lock an account. */
    readonly lockoutAttempts: number;
    readonly lockoutMinutes: number;
    /** Sign-in requests per address per 15 minutes. */
    readonly loginRateLimit: number;
    readonly sessionHours: number;
    readonly tokenDays: number;
  };
  readonly initiatives: {
    /** A pilot with no decision for longer than this is flagged as stuck. */
    readonly stuckPilotMonths: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly { variable: string; message: string }[]) {
    super(
      'Configuration error — fix these environment variables (see .env.example):\n' +
        problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** Parses and freezes the configuration; throws ConfigError naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // An empty variable (FOO=) means "not set", as in most .env tooling.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? '?'), message: issue.message })),
    );
  }
  const e = parsed.data;
  const config: Config = {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL,
    trustProxy: e.TRUST_PROXY,
    timeZone: BUSINESS_TIME_ZONE,
    db: { uri: e.MONGODB_URI, name: e.DB_NAME, enginePort: e.ENGINE_PORT },
    dataDir: path.resolve(PROJECT_ROOT, e.DATA_DIR),
    sessionSecret: e.SESSION_SECRET,
    cookieSecure: e.COOKIE_SECURE ?? e.NODE_ENV === 'production',
    logLevel: e.LOG_LEVEL,
    mail: {
      host: e.SMTP_HOST,
      port: e.SMTP_PORT,
      secure: e.SMTP_SECURE,
      user: e.SMTP_USER,
      pass: e.SMTP_PASS,
      from: e.MAIL_FROM,
    },
    pdf: { executablePath: e.PUPPETEER_EXECUTABLE_PATH, poolSize: e.PDF_POOL_SIZE },
    seedDemo: e.SEED_DEMO ?? e.NODE_ENV !== 'production',
    demoPassword: e.DEMO_PASSWORD,
    scheduler: e.SCHEDULER,
    auth: {
      lockoutAttempts: e.LOCKOUT_ATTEMPTS,
      lockoutMinutes: e.LOCKOUT_MINUTES,
      loginRateLimit: e.LOGIN_RATE_LIMIT,
      sessionHours: e.SESSION_HOURS,
      tokenDays: e.TOKEN_DAYS,
    },
    initiatives: { stuckPilotMonths: e.STUCK_PILOT_MONTHS },
  };
  return deepFreeze(config);
}

function deepFreeze<T extends object>(value: T): T {
  for (const v of Object.values(value)) if (v && typeof v === 'object') deepFreeze(v as object);
  return Object.freeze(value);
}
