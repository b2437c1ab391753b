import { UserError } from '../../src/core/errors.ts';
import type { MarketplaceAdapter } from '../adapter.ts';
import { createLazadaAdapter } from './lazada.ts';
import { createSchemaOrgAdapter } from './schemaorg.ts';
import { createSelectorsAdapter } from './selectors.ts';
import { createSendoAdapter } from './sendo.ts';
import { createShopeeAdapter } from './shopee.ts';
import { loadSiteFile } from './site-file.ts';
import { createTiktokAdapter } from './tiktok.ts';
import { createTikiAdapter } from './tiki.ts';

/** Every adapter name `--adapter` accepts, in the order help texts list them. */
export const ADAPTER_NAMES = ['shopee', 'lazada', 'tiki', 'sendo', 'tiktok', 'schemaorg', 'selectors'] as const;
export type AdapterName = (typeof ADAPTER_NAMES)[number];

export interface GetAdapterOptions {
  /** YAML or JSON site file; required by `selectors`, ignored by the others. */
  siteFile?: string;
}

export function isAdapterName(name: string): name is AdapterName {
  return (ADAPTER_NAMES as readonly string[]).includes(name);
}

/**
 * A fresh adapter instance by CLI name. Throws a `UserError` listing the valid names for an
 * unknown one, and for `selectors` without a site file.
 */
export function getAdapter(name: string, options: GetAdapterOptions = {}): MarketplaceAdapter {
  if (!isAdapterName(name)) {
    throw new UserError(`unknown adapter "${name}"; choose one of: ${ADAPTER_NAMES.join(', ')}`);
  }
  switch (name) {
    case 'shopee':
      return createShopeeAdapter();
    case 'lazada':
      return createLazadaAdapter();
    case 'tiki':
      return createTikiAdapter();
    case 'sendo':
      return createSendoAdapter();
    case 'tiktok':
      return createTiktokAdapter();
    case 'schemaorg':
      return createSchemaOrgAdapter();
    case 'selectors':
      if (!options.siteFile) {
        throw new UserError(
          'the selectors adapter needs --site FILE (a YAML or JSON site file; see crawlers/sites/README.md, e.g. crawlers/sites/sandbox-shop.yaml)',
        );
      }
      return createSelectorsAdapter(loadSiteFile(options.siteFile));
  }
}
