import { z } from 'zod';

const postgresUrl = z
  .string()
  .refine((value) => /^postgres(ql)?:\/\/[^\s]+$/.test(value) && URL.canParse(value), {
    message: 'expected a URL like postgres://user:password@host:5432/dbname',
  });

const redisUrl = z
  .string()
  .refine((value) => /^rediss?:\/\/[^\s]*$/.test(value) && URL.canParse(value), {
    message: 'expected a URL like redis://host:6379',
  });

const httpUrl = z
  .string()
  .refine((value) => /^https?:\/\//.test(value) && URL.canParse(value), {
    message: 'expected an http(s) URL',
  });

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Every adapter's base URL can be pointed elsewhere, e.g. at the sandbox skins. */
export const AdapterOverridesSchema = z
  .object({
    baseUrl: httpUrl.optional(),
    /** Requests per minute per domain for this adapter. */
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
    /** Where the embedded database, evidence and crawl state live. */
    dataDir: z.string().min(1).default('./.radar'),
    logLevel: z.enum(LOG_LEVELS).default('info'),
    /** Debian's Chromium; never a downloaded browser. */
    chromiumPath: z.string().min(1).default('/usr/bin/chromium'),
    /** Optional proxies for crawling, rotated by crawlee's ProxyConfiguration. */
    proxyUrls: z.array(httpUrl).default([]),
    /** Hosts the SSRF guard lets through even though they resolve to private addresses. */
    allowHosts: z.array(z.string().min(1)).default([]),
    /** Token that protects the queue dashboard. */
    dashboardToken: z.string().min(16, 'expected at least 16 characters').optional(),
    /** SMTP server for alert emails, e.g. `smtp://user:pass@mail.example:587`. Unset = webhooks only. */
    smtpUrl: z.string().regex(/^smtps?:\/\//, 'expected an smtp:// or smtps:// URL').optional(),
    /** From: of alert emails. @default 'counterfeit-radar <radar@localhost>' */
    alertFrom: z.string().min(3).default('counterfeit-radar <radar@localhost>'),
    adapters: z.record(z.string(), AdapterOverridesSchema).default({}),
    /** Who captures and packs evidence here (the office or officer), when a command gets no `--by`. */
    operator: z.string().min(1).optional(),
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;
