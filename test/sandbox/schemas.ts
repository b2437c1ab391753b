/**
 * Zod schemas of the skins' wire formats, written from the field names of the real samples in
 * ../shared/samples (and the domain brief); `fixtures/` holds hand-written examples in the same shape.
 */
import { z } from 'zod';

const numericString = z.string().regex(/^\d+$/u);

export const ShopeeItemBasicSchema = z.object({
  itemid: z.number().int(),
  shopid: z.number().int(),
  name: z.string().min(1),
  price: z.number().int(),
  price_min: z.number().int(),
  price_max: z.number().int(),
  price_before_discount: z.number().int(),
  discount: z.string().nullable(),
  brand: z.string().nullable(),
  sold: z.number().int(),
  historical_sold: z.number().int(),
  item_rating: z.object({ rating_star: z.number() }),
  image: z.string(),
  images: z.array(z.string()),
  shop_name: z.string(),
  shop_location: z.string(),
  is_official_shop: z.boolean(),
  shopee_verified: z.boolean(),
  ctime: z.number().int(),
  catid: z.number().int(),
});
export const ShopeeSearchSchema = z.object({
  error: z.null(),
  total_count: z.number().int(),
  nomore: z.boolean(),
  items: z.array(z.object({ itemid: z.number().int(), shopid: z.number().int(), item_basic: ShopeeItemBasicSchema })),
});

export const TikiListSchema = z.object({
  data: z.array(
    z.object({
      id: z.number().int(),
      sku: z.string(),
      name: z.string().min(1),
      url_path: z.string(),
      price: z.number().int(),
      original_price: z.number().int(),
      list_price: z.number().int(),
      discount_rate: z.number().int(),
      brand_name: z.string(),
      seller_id: z.number().int(),
      seller_name: z.string(),
      is_authentic: z.boolean(),
      tiki_verified: z.boolean(),
      badges_new: z.array(z.object({ code: z.string() })),
      quantity_sold: z.object({ text: z.string(), value: z.number().int() }).nullable(),
      rating_average: z.number(),
      review_count: z.number().int(),
      thumbnail_url: z.string(),
    }),
  ),
  paging: z.object({ total: z.number().int(), per_page: z.number().int(), current_page: z.number().int(), last_page: z.number().int() }),
});

export const SendoListSchema = z.object({
  data: z.array(
    z.object({
      index: z.number().int(),
      type: z.literal('SKU'),
      item: z.object({
        product_id: z.number().int(),
        name: z.string().min(1),
        category_id: z.number().int(),
        shop_id: z.number().int(),
        price: z.number().int(),
        final_price: z.number().int(),
        original_price: z.union([z.number().int(), z.string().regex(/^[\d.]+đ$/u)]),
        shop_name: z.string(),
        shop_warehouse_city: z.string(),
        cat_path: z.string(),
        thumbnail_url: z.string(),
        is_shop_plus: z.number().int(),
        order_count: z.number().int(),
        rating_percent: z.number().int(),
        total_ratings: z.number().int(),
      }),
    }),
  ),
  meta: z.object({ total_count: z.number().int(), page: z.number().int(), size: z.number().int(), total_page: z.number().int() }),
});

export const LazadaCatalogSchema = z.object({
  mainInfo: z.object({ totalResults: numericString, pageSize: numericString, page: numericString }),
  mods: z.object({
    listItems: z.array(
      z.object({
        itemId: numericString,
        skuId: numericString,
        name: z.string().min(1),
        productUrl: z.string().regex(/^\/\/.+-i\d+-s\d+\.html/u),
        image: z.string(),
        price: numericString,
        originalPrice: numericString.optional(),
        discount: z
          .string()
          .regex(/^-\d+%$/u)
          .optional(),
        brandName: z.string(),
        sellerName: z.string(),
        sellerId: z.string(),
        location: z.string(),
        ratingScore: z.string(),
        review: z.string(),
        itemSoldCntShow: z.string(),
        icons: z.array(z.object({ domClass: z.string().optional() })),
      }),
    ),
  }),
});

export const LazadaFieldsSchema = z.object({
  primaryKey: z.object({ itemId: numericString, skuId: numericString }),
  product: z.object({ title: z.string().min(1), brand: z.object({ name: z.string() }), desc: z.string().optional() }),
  seller: z.object({
    sellerId: z.string(),
    shopId: z.number().int(),
    name: z.string(),
    url: z.string(),
    rate: z.number(),
    positiveSellerRating: z.unknown(),
    time: z.number(),
    newSeller: z.boolean(),
    type: z.string(),
  }),
  skuInfos: z.record(
    z.string(),
    z.object({
      price: z.object({ salePrice: z.object({ value: z.number() }), originalPrice: z.object({ value: z.number() }).optional() }),
      stock: z.number(),
    }),
  ),
});
