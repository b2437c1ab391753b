import type { Command } from 'commander';

/** Placeholder until its issue lands; keeps the CLI's module list stable. */
export function register(_program: Command): void {}
