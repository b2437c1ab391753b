import { InvalidArgumentError } from 'commander';

/**
 * A commander argument parser for a whole-number flag. Bad input stops with commander's usage
 * error (exit 2) naming the flag and what it takes, before any work starts.
 */
export function wholeNumber(flag: string, options: { min?: number; meaning?: string } = {}): (value: string) => number {
  const min = options.min ?? 1;
  return (value: string): number => {
    const n = Number(value.trim());
    if (!/^\d+$/.test(value.trim()) || n < min) {
      throw new InvalidArgumentError(
        `${flag} must be a whole number ≥ ${min}${options.meaning ? ` (${options.meaning})` : ''}, got "${value}"`,
      );
    }
    return n;
  };
}
