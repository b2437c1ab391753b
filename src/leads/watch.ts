import {
  markWatchItemsChecked,
  recordWatchEvents,
  watchedListingStates,
  type WatchEventInput,
  type WatchedListingState,
} from '../core/db/stores/watch.ts';
import type { Db } from '../core/db/types.ts';

/** The changes between what the last check saw of a watched listing and what is stored now. */
export function listingChanges(state: WatchedListingState): WatchEventInput[] {
  const base = { watchItemId: state.watch_item_id, listingId: state.listing_id, shopId: state.shop_id };
  if (!state.seen_before) {
    // A listing that turns up under an item already being watched is news; on the first check it is the baseline.
    return state.item_checked ? [{ ...base, change: 'new_listing', oldValue: null, newValue: state.title }] : [];
  }
  const events: WatchEventInput[] = [];
  if (state.old_available === true && !state.available) events.push({ ...base, change: 'removed', oldValue: null, newValue: null });
  if (state.old_available === false && state.available) events.push({ ...base, change: 'reappeared', oldValue: null, newValue: null });
  if (state.old_price_vnd !== state.price_vnd)
    events.push({
      ...base,
      change: 'price',
      oldValue: state.old_price_vnd?.toString() ?? null,
      newValue: state.price_vnd?.toString() ?? null,
    });
  if (state.old_title !== null && state.old_title !== state.title)
    events.push({ ...base, change: 'title', oldValue: state.old_title, newValue: state.title });
  return events;
}

/**
 * Compares every watched listing with the last check and records price, title, removal and
 * reappearance, and new listings of watched shops, phones, tax codes and keywords. Run after each
 * crawl (the queue does, and `radar watch check`); a check with no crawl in between records nothing.
 */
export async function recordWatchChanges(db: Db, now = new Date()): Promise<WatchEventInput[]> {
  return db.transaction(async (tx) => {
    const states = await watchedListingStates(tx);
    const events = states.flatMap(listingChanges);
    await recordWatchEvents(tx, events, states, now);
    await markWatchItemsChecked(tx, now);
    return events;
  });
}
