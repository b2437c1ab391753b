import { z } from 'zod';

const postgresUrl = z.string().refine((value) => /^postgres(ql)?:\/\/[^\s]+$/.test(value) && URL.canParse(value), {
  message: 'expected a URL like postgres://user:password@host:5432/dbname',
});

const redisUrl = z.string().refine((value) => /^rediss?:\/\/[^\s]*$/.test(value) && URL.canParse(value), {
  message: 'expected a URL like redis://host:6379',
});

const httpUrl = z.string().refine((value) => /^https?:\/\//.test(value) && URL.canParse(value), {
  message: 'expected an http(s) URL',
});

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Every adapter's base URL can be pointed elsewhere, e.g. at the sandbox skins. */
export const AdapterOverridesSchema = z
  .object({
    /** Where this adapter crawls instead of its real host (a sandbox skin). Without it, the real host. */
    baseUrl: httpUrl.optional(),
    /** Requests per minute per domain for this adapter; `--requests-per-minute` wins over it. @default 120 (applied by the crawl) */
    requestsPerMinute: z.number().int().positive().optional(),
  })
  .strict();

/**
 * The whole configuration. Environment variables win over `radar.config.(json|yaml)`.
 * Keys are strict: an unknown key is a typo the operator wants to hear about.
 */
export const ConfigSchema = z
  .object({
    /** PostgreSQL server. Unset = embedded PGlite under `dataDir`. */
    databaseUrl: postgresUrl.optional(),
    /** Redis for BullMQ. Unset = in-process operation only. */
    redisUrl: redisUrl.optional(),
    /** Where the embedded database, evidence and crawl state live. @default './.radar' */
    dataDir: z.string().min(1).default('./.radar'),
    /** Lowest level logged; `silent` logs nothing. @default 'info' */
    logLevel: z.enum(LOG_LEVELS).default('info'),
    /** Debian's Chromium; never a downloaded browser. @default '/usr/bin/chromium' */
    chromiumPath: z.string().min(1).default('/usr/bin/chromium'),
    /** Proxies for crawling, rotated by crawlee's ProxyConfiguration; empty = direct connections. @default [] */
    proxyUrls: z.array(httpUrl).default([]),
    /** Hosts the SSRF guard lets through even though they resolve to private addresses. @default [] */
    allowHosts: z.array(z.string().min(1)).default([]),
    /** Token that protects the queue dashboard. Without it, `radar dashboard` refuses to start (it never runs open). */
    dashboardToken: z.string().min(16, 'expected at least 16 characters').optional(),
    /** SMTP server for alert emails, e.g. `smtp://user:pass@mail.example:587`. Unset = webhooks only. */
    smtpUrl: z
      .string()
      .regex(/^smtps?:\/\//, 'expected an smtp:// or smtps:// URL')
      .optional(),
    /** From: of alert emails. @default 'counterfeit-radar <radar@localhost>' */
    alertFrom: z.string().min(3).default('counterfeit-radar <radar@localhost>'),
    /** Per-adapter overrides, keyed by adapter name. @default {} */
    adapters: z.record(z.string(), AdapterOverridesSchema).default({}),
    /** Who captures and packs evidence here (the office or officer), when a command gets no `--by`. Without it, the OS user. */
    operator: z.string().min(1).optional(),
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
