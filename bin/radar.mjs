#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so `npx radar` works straight after `npm install`
// with no build step to forget.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/apps/cli/main.ts');
process.exitCode = await main(process.argv);
