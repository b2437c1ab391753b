/**
 * Text for a database or JSON value shown to a person: objects as JSON and dates as ISO, never
 * "[object Object]"; null, undefined and functions as ''.
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
      return value instanceof Date ? value.toISOString() : JSON.stringify(value);
    default:
      return '';
  }
}
