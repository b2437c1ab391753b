/**
 * Product groups with their own price floors. One ratio rule for every category misses the cases
 * that matter most: consumables and regulated goods (formula milk, spirits, tobacco, cosmetics,
 * motor oil, medicines, diapers, helmets) cannot be sold new and genuine at half the distributor
 * price, so that alone is strong evidence; luxury goods at a few percent of retail never are.
 */
export const PRICE_GROUP_NAMES = [
  'formula_milk',
  'spirits',
  'tobacco',
  'cosmetics',
  'motor_oil',
  'medicine',
  'diapers',
  'regulated',
  'luxury',
] as const;
export type PriceGroup = (typeof PRICE_GROUP_NAMES)[number];

export interface PriceGroupRule {
  /** Price under this share of the typical distributor/retail price (per unit, pro rata by size). */
  floorRatio: number;
  /** Weight of `price.below_group_floor` (consumables) or `price.luxury_fraction` (luxury). */
  weight: number;
}

/** Consumables: genuine stock moves within ~25% of the distributor price; 60% is already impossible new. */
const CONSUMABLE: PriceGroupRule = { floorRatio: 0.65, weight: 72 };

export const PRICE_GROUPS: Record<PriceGroup, PriceGroupRule> = {
  formula_milk: CONSUMABLE,
  spirits: CONSUMABLE,
  tobacco: CONSUMABLE,
  cosmetics: CONSUMABLE,
  motor_oil: CONSUMABLE,
  medicine: CONSUMABLE,
  diapers: CONSUMABLE,
  regulated: CONSUMABLE,
  /** A few percent of retail: no genuine new luxury item, whatever else the listing says. */
  luxury: { floorRatio: 0.1, weight: 75 },
};

/**
 * Used goods: a fair used price is well below retail, but not a few percent of it. Luxury keeps its
 * value second-hand; worn clothes and shoes ("đồ si") do not, so their floor is much lower.
 */
export const USED_FLOOR_RATIO = 0.04;
export const USED_LUXURY_FLOOR_RATIO = 0.12;
export const USED_FLOOR_WEIGHT = 45;

const CATEGORY_GROUPS: Record<string, PriceGroup> = {
  milk: 'formula_milk',
  'milk-supplements': 'formula_milk',
  'formula-milk': 'formula_milk',
  spirits: 'spirits',
  alcohol: 'spirits',
  tobacco: 'tobacco',
  cigarettes: 'tobacco',
  medicine: 'medicine',
  medicines: 'medicine',
  supplements: 'medicine',
  baby: 'diapers',
  diapers: 'diapers',
  'motor-oil': 'motor_oil',
  helmets: 'regulated',
  cosmetics: 'cosmetics',
};
const LUXURY_CATEGORIES = new Set(['shoes-bags', 'fashion', 'watches', 'jewellery', 'jewelry', 'accessories']);
/** A row whose lowest genuine price is at least this, in a fashion/watch/jewellery brand, is luxury. */
const LUXURY_MIN_VND = 5_000_000;

/** The group of a reference row that names none: from the brand's categories and the row's lowest price. */
export function inferPriceGroup(categories: readonly string[], minVnd: number): PriceGroup | null {
  let luxury = false;
  for (const category of categories) {
    const key = category.toLowerCase();
    const group = CATEGORY_GROUPS[key];
    // Cosmetics brands also sell bags and clothes: cosmetics only when that is all they list.
    if (group && (group !== 'cosmetics' || categories.length === 1)) return group;
    if (LUXURY_CATEGORIES.has(key)) luxury = true;
  }
  return luxury && minVnd >= LUXURY_MIN_VND ? 'luxury' : null;
}
