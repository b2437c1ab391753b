import { describe, expect, it } from 'vitest';
import { lexiconReasons, scanLexicon } from '../../../scoring/signals/lexicon.ts';
import { foldText } from '../../../scoring/text/normalize.ts';

const scan = (title: string) => scanLexicon(foldText(title).text);
const kinds = (title: string) => scan(title).map((hit) => `${hit.kind}:${hit.term}`);
const codes = (title: string, brandMentioned = true) => lexiconReasons(scan(title), { brandMentioned }).map((r) => r.code);

describe('lexicon', () => {
  it.each([
    ['Giày Nike rep 1:1 siêu cấp', 'fake:rep 1:1'],
    ['SUPER FAKE túi LV', 'fake:super fake'],
    ['Hàng nhái Gucci', 'fake:hang nhai'],
    ['Áo Adidas like auth', 'fake:like auth'],
    ['Replica Rolex', 'fake:replica'],
    ['Giày VNXK xuất dư', 'laundering:vnxk'],
    ['Hàng Quảng Châu cao cấp', 'laundering:hang quang chau'],
    ['Sữa Meiji xách tay Nhật', 'smuggling:xach tay'],
    ['Mỹ phẩm hàng nội địa Trung', 'smuggling:hang noi dia trung'],
    ['Rượu không hóa đơn', 'smuggling:khong hoa don'],
  ])('finds the term in %s, diacritic- and case-insensitively', (title, expected) => {
    expect(kinds(title)).toContain(expected);
    expect(kinds(title.normalize('NFD').toUpperCase())).toContain(expected);
  });

  it('respects word boundaries', () => {
    expect(kinds('Bộ repair kit')).toEqual([]);
    expect(kinds('Sofa bed')).toEqual([]);
    expect(kinds('Áo Adidas like auth').filter((k) => k.startsWith('claim'))).toEqual([]);
  });

  it('does not read handbags ("túi xách tay") or chewable tablets ("viên nhai") as smuggling or fakes', () => {
    expect(kinds('Túi xách tay nữ da PU')).toEqual([]);
    expect(codes('Viên nhai canxi cho bé')).toEqual([]);
  });

  it('does not fire on denials ("cam kết không fake")', () => {
    expect(codes('Giày Nike cam kết không fake')).toEqual([]);
  });

  it('counts ambiguous words (F1, loại 1, AAA) only next to a brand', () => {
    expect(codes('Pin AAA Panasonic', false)).toEqual([]);
    expect(codes('Xoài cát loại 1', false)).toEqual([]);
    expect(codes('[F1] Giày Converse', true)).toEqual(['lexicon.counterfeit']);
  });

  it('"like new" is used goods, not a fake', () => {
    expect(codes('iPhone 13 like new 99%')).toEqual([]);
    expect(kinds('iPhone 13 like new 99%')).toContain('used:like new');
  });

  it('adds a bonus for several distinct terms and names them in the detail', () => {
    const reasons = lexiconReasons(scan('Giày Nike rep 1:1 hàng Quảng Châu'), { brandMentioned: true });
    expect(reasons.map((r) => r.code)).toEqual(['lexicon.counterfeit', 'lexicon.laundering', 'lexicon.many_terms']);
    expect(reasons[0]!.detail).toContain('rep 1:1');
    expect(reasons.every((r) => r.en.length > 0 && r.vi.length > 0)).toBe(true);
  });
});
