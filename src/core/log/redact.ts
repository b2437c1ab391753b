const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/)([^/\s:@]*)(?::([^/\s@]*))?@/gi;
const SECRET_KEYS = /pass(word)?|secret|token|authorization|cookie|api[-_]?key/i;

/** Masks the password in any `scheme://user:password@host` inside a string. */
export function redactUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, (_match, scheme: string, user: string, password?: string) =>
    password === undefined ? `${scheme}${user}@` : `${scheme}${user}:***@`,
  );
}

/**
 * Returns a copy with secrets masked: values under secret-looking keys, and credentials in URLs.
 * Used on every log record, so it leaves objects without secrets untouched (same reference).
 */
export function redactSecrets<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return redactUrlCredentials(value) as T;
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) {
    let changed = false;
    const out = (value as unknown[]).map((item) => {
      const redacted = redactSecrets(item, depth + 1);
      if (redacted !== item) changed = true;
      return redacted;
    });
    return (changed ? out : value) as T;
  }
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const redacted = SECRET_KEYS.test(key) && item !== undefined && item !== null ? '[redacted]' : redactSecrets(item, depth + 1);
    if (redacted !== item) changed = true;
    out[key] = redacted;
  }
  return (changed ? out : value) as T;
}
