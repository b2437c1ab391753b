/**
 * The sandbox marketplace: a deterministic generated world served through each marketplace's wire format,
 * with planted counterfeit cases and their ground truth. See README.md and ROUTES.md in this folder.
 */
export { generateWorld, SKINS, SKIN_MARKETPLACE, MARKETPLACE_SKIN, WORLD_NOW } from './world.ts';
export type { World, WorldOptions, SandboxShop, SandboxListing, Skin, SandboxMarketplace, ShopKind, Label } from './world.ts';
export { startSandbox, MAX_LATENCY_MS } from './server.ts';
export type { SandboxOptions, RunningSandbox } from './server.ts';
export { truthRecords, truthListing, truthShop, listingPath } from './truth.ts';
export type { TruthRecord, TruthListingRecord, TruthShopRecord, TruthListingFields, TruthShopFields } from './truth.ts';
export { reachableListings, pageSize } from './reachable.ts';
export type { ReachableQuery } from './reachable.ts';
export { parseExtra, loadExtra, ExtraFileError, ExtraFileSchema } from './extra.ts';
export type { ExtraFile, ExtraFileInput } from './extra.ts';
export { FAULT_KINDS, FAULT_PROFILES, PROFILES as FAULT_PROFILE_RATES } from './faults.ts';
export type { FaultKind, FaultProfile } from './faults.ts';
export { LISTING_PATTERNS, SHOP_PATTERNS, HARD_NEGATIVES } from './patterns.ts';
export { CATEGORIES } from './catalog.ts';
export { isRemoved, REMOVED_SHARE, REPRICED_SHARE, MAX_RESULTS } from './search.ts';
export { recreatingWorld, recreations } from './recreate.ts';
export type { RecreateOptions, Recreation } from './recreate.ts';
