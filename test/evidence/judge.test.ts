// refusalReason: a load of an error, block, captcha, login wall or empty shell is never evidence.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MIN_VISIBLE_CHARS, refusalReason, type LoadFacts } from '../../crawlers/evidence/judge.ts';

const page = (over: Partial<LoadFacts> = {}): LoadFacts => ({
  status: 200,
  finalUrl: 'https://tiki.vn/tui-xach-p1.html',
  title: 'Túi xách Chanel | Tiki',
  visibleText: 'Túi xách Chanel Classic Flap hàng siêu cấp 350.000₫ Cửa hàng Kho Sỉ Hàng Hiệu, Số 12 Hàng Bạc, Hà Nội. Đã bán 1.200',
  html: '<html><body><h1>Túi xách Chanel</h1></body></html>',
  data: [],
  ...over,
});

describe('refusalReason', () => {
  it('accepts a rendered listing page', () => {
    expect(refusalReason(page())).toBeNull();
  });

  it('refuses every 4xx and 5xx whatever the page shows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 400, max: 599 }), fc.string(), (status, text) => {
        expect(refusalReason(page({ status, visibleText: text }))).toMatch(new RegExp(`^HTTP ${status}`));
      }),
    );
  });

  it('refuses any page with fewer visible characters than an empty shell allows', () => {
    fc.assert(
      fc.property(
        fc
          .string({ maxLength: MIN_VISIBLE_CHARS - 1 })
          .filter((t) => !/captcha|access denied|403 forbidden|đăng nhập|log in|sign in/i.test(t)),
        (text) => {
          expect(refusalReason(page({ visibleText: text, title: '', html: '<div id="app"></div>' }))).toMatch(/^empty page/);
        },
      ),
    );
  });

  it('refuses block, captcha and login pages', () => {
    expect(refusalReason(page({ finalUrl: 'https://www.lazada.vn/_____tmd_____/punish?x5secdata=1' }))).toMatch(/captcha page/);
    expect(refusalReason(page({ html: '{"error":90309999,"is_login":false}' }))).toMatch(/anti-bot/);
    expect(refusalReason(page({ title: 'Security Check', visibleText: 'Kéo thanh trượt để ghép hình' }))).toMatch(/captcha/);
    expect(refusalReason(page({ finalUrl: 'https://shopee.vn/buyer/login?next=x' }))).toMatch(/login wall/);
    expect(refusalReason(page({ visibleText: 'Vui lòng đăng nhập để tiếp tục' }))).toMatch(/login wall/);
  });
});
