/**
 * Is a page load evidence of anything? A capture of an error, a block, a captcha, a login wall or an
 * empty app shell proves nothing about a listing and must not be filed as evidence.
 */

export interface LoadFacts {
  /** HTTP status of the document (after redirects); 0 when nothing answered. */
  status: number;
  finalUrl: string;
  title: string;
  /** The rendered page's visible text (`document.body.innerText`). */
  visibleText: string;
  /** The rendered DOM. */
  html: string;
  /** JSON bodies the page fetched (status and text), e.g. a marketplace's API calls. */
  data: readonly { url: string; status: number; body: string }[];
}

/** Fewer visible characters than this and the page is an empty shell. */
export const MIN_VISIBLE_CHARS = 80;

const CAPTCHA = [
  /captcha/i,
  /nocaptcha/i,
  /security check/i,
  /kéo thanh trượt/i,
  /trượt để xác minh/i,
  /verify you are (a )?human/i,
  /are you a robot/i,
  /xác minh bạn không phải/i,
  /_____tmd_____\/punish/i,
  /access denied/i,
  /403 forbidden/i,
  /cf-challenge/i,
];
const LOGIN = [/vui lòng đăng nhập/i, /đăng nhập để (tiếp tục|xem)/i, /please (log|sign) in/i, /sign in to continue/i, /login required/i];
const LOGIN_URL = /\/(buyer\/)?(login|signin|sign-in|dang-nhap)(\/|\?|$)/i;
/** Shopee's anti-bot answer (HTTP 200 with this error code). */
const SHOPEE_BLOCK = /"error"\s*:\s*90309999/;

/** Null when the load shows a real page; otherwise why it is not evidence. */
export function refusalReason(facts: LoadFacts): string | null {
  if (facts.status === 0) return 'no response: the page did not load';
  if (facts.status >= 400) return `HTTP ${facts.status}: the server answered with an error page`;
  const head = `${facts.title}\n${facts.visibleText.slice(0, 4000)}`;
  if (/_____tmd_____\/punish/i.test(facts.finalUrl)) return "blocked: redirected to the marketplace's captcha page";
  if (SHOPEE_BLOCK.test(facts.html.slice(0, 20_000)) || facts.data.some((d) => SHOPEE_BLOCK.test(d.body.slice(0, 2000)))) {
    return 'blocked: the marketplace answered with its anti-bot error (90309999)';
  }
  const captcha = CAPTCHA.find((re) => re.test(head) || re.test(facts.html.slice(0, 20_000)));
  if (captcha && facts.visibleText.trim().length < 2000) return `blocked: a captcha or block page (${captcha.source.replaceAll('\\', '')})`;
  if (LOGIN_URL.test(new URL(facts.finalUrl, 'http://x/').pathname)) return 'login wall: redirected to a sign-in page';
  const login = LOGIN.find((re) => re.test(head));
  if (login && facts.visibleText.trim().length < 1500) return 'login wall: the page asks to sign in before showing the listing';
  const failedData = facts.data.find((d) => d.status >= 400);
  const visible = facts.visibleText.replace(/\s+/g, ' ').trim();
  if (visible.length < MIN_VISIBLE_CHARS) {
    return failedData
      ? `empty page: ${visible.length} visible characters; its data call failed with HTTP ${failedData.status}`
      : `empty page: ${visible.length} visible characters (an app shell that never rendered)`;
  }
  return null;
}
