/** The skin table, robots.txt, and each marketplace's way of saying "blocked". */
import { html, json, text, type SkinHandler, type SkinResponse } from '../http.ts';
import type { Skin } from '../world.ts';
import { lazada } from './lazada.ts';
import { sendo } from './sendo.ts';
import { SHOPEE_BLOCK, shopee } from './shopee.ts';
import { tiki } from './tiki.ts';
import { tiktok } from './tiktok.ts';
import { webshop } from './webshop.ts';

export const SKIN_HANDLERS: Record<Skin, SkinHandler> = { shopee, lazada, tiki, sendo, tiktok, shop: webshop };

const ROBOTS: Record<Skin, string> = {
  shopee: 'User-agent: *\nDisallow: /cart/\nDisallow: /checkout/\nDisallow: /buyer/\nDisallow: /me/\nDisallow: /user/\nAllow: /\n',
  lazada: 'User-agent: *\nDisallow: /cart/\nDisallow: /customer/\nDisallow: /wow/gcp/\nDisallow: /_____tmd_____/\nAllow: /\n',
  tiki: 'User-agent: *\nDisallow: /checkout\nDisallow: /customer/\nDisallow: /api/v2/me\nAllow: /\n',
  sendo: 'User-agent: *\nDisallow: /gio-hang\nDisallow: /thanh-toan\nAllow: /\n',
  tiktok: 'User-agent: *\nDisallow: /passport/\nDisallow: /api/\nAllow: /shop/\nAllow: /view/\nAllow: /search\n',
  shop: 'User-agent: *\nDisallow: /shop/cart\nDisallow: /shop/checkout\nCrawl-delay: 1\nSitemap: /shop/sitemap.xml\n',
};

/** robots.txt of a skin; paths are relative to the skin prefix as on the real site, except the web shop's. */
export function robotsTxt(skin: Skin): SkinResponse {
  return text(ROBOTS[skin]);
}

const CAPTCHA =
  '<!DOCTYPE html><html><head><title>Security Check</title></head><body><div id="captcha-verify-container" class="captcha_verify_container"><p>Kéo thanh trượt để ghép hình</p></div></body></html>';

/** The block a skin answers bots with. */
export function blockResponse(skin: Skin, host: string): SkinResponse {
  switch (skin) {
    case 'shopee':
      return json(SHOPEE_BLOCK);
    case 'lazada':
      return {
        status: 302,
        contentType: 'text/html; charset=utf-8',
        body: '',
        headers: { location: `http://${host}/lazada/_____tmd_____/punish?x5secdata=${Date.now().toString(36)}&x5step=1` },
      };
    case 'tiktok':
      return html(CAPTCHA);
    default:
      return html('<!DOCTYPE html><html><body><h1>403 Forbidden</h1><p>Access denied</p></body></html>', 403);
  }
}

/** A gate page: TikTok's captcha (under 30 KB, no router data); elsewhere the same as a block. */
export function gateResponse(skin: Skin, host: string): SkinResponse {
  return skin === 'tiktok' ? html(CAPTCHA) : blockResponse(skin, host);
}
