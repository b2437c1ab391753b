/**
 * Text for a database or JSON value shown to a person: objects as JSON, dates as ISO and bytes as
 * Postgres hex, never "[object Object]"; null, undefined and functions as ''. Lead tables and exports
 * use `cellText`, which adds local times on top of this.
 */
export function displayText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    case 'symbol':
      return value.toString();
    case 'object':
      if (value === null) return '';
      if (value instanceof Date) return value.toISOString();
      if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
      return JSON.stringify(value);
    default:
      return '';
  }
}
