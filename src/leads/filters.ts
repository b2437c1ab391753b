/**
 * The enumerated values lead commands filter on, as choices with the spellings investigators type.
 * Resolve them with resolveChoice (src/core/choices.ts): an unknown value stops with the closest ones.
 */
import { plainChoices, resolveChoice, type Choice } from '../core/choices.ts';
import { MARKETPLACES, type Marketplace } from '../core/domain/records.ts';
import { LEAD_KINDS, LEAD_STATUSES, ROUTING_SOURCES, type LeadKind, type LeadStatus, type RoutingSource } from './types.ts';

export const MARKETPLACE_CHOICES: readonly Choice<Marketplace>[] = plainChoices(MARKETPLACES, {
  tiktok: ['tiktok shop', 'tiktokshop', 'tts'],
  web: ['web shop', 'website', 'schemaorg'],
  shopee: ['shopee mall'],
  lazada: ['lazmall', 'laz'],
});

export const LEAD_STATUS_CHOICES: readonly Choice<LeadStatus>[] = plainChoices(LEAD_STATUSES);
export const LEAD_KIND_CHOICES: readonly Choice<LeadKind>[] = plainChoices(LEAD_KINDS, {
  listing: ['listings'],
  shop: ['shops'],
  network: ['networks'],
});
/** Province sources, and the national reasons (overseas, none) of leads without a province. */
export const PROVINCE_SOURCE_CHOICES: readonly Choice<RoutingSource>[] = plainChoices(ROUTING_SOURCES, {
  overseas: ['abroad', 'cross-border'],
});
export const EXPORT_FORMAT_CHOICES: readonly Choice<'csv' | 'xlsx'>[] = plainChoices(['csv', 'xlsx'] as const, { xlsx: ['excel', 'xls'] });

export const resolveMarketplace = (input: string): Marketplace => resolveChoice('--marketplace', input, MARKETPLACE_CHOICES);
export const resolveLeadStatus = (input: string, flag = '--status'): LeadStatus => resolveChoice(flag, input, LEAD_STATUS_CHOICES);
export const resolveLeadKind = (input: string): LeadKind => resolveChoice('--kind', input, LEAD_KIND_CHOICES);
export const resolveExportFormat = (input: string): 'csv' | 'xlsx' => resolveChoice('--format', input, EXPORT_FORMAT_CHOICES);
