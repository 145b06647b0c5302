// Synthetic card holders: Japanese 基本4情報 from a seeded generator, so a PKI made with the same
// seed is the same PKI. No real person's data is used.
import { JPKI, eraOf } from '../../core/jpki.js';

/** mulberry32: small, fast, good enough for test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = [
  '佐藤',
  '鈴木',
  '高橋',
  '田中',
  '伊藤',
  '渡辺',
  '山本',
  '中村',
  '小林',
  '加藤',
  '吉田',
  '山田',
  '佐々木',
  '山口',
  '松本',
  '井上',
  '木村',
  '林',
  '斎藤',
  '清水',
];
const GIVEN = [
  '翔太',
  '陽菜',
  '大輔',
  '美咲',
  '健一',
  '由美',
  '誠',
  '愛',
  '拓也',
  '結衣',
  '直樹',
  '花子',
  '太郎',
  '恵子',
  '蓮',
  '葵',
  '悠真',
  'さくら',
  '一郎',
  '裕子',
];
/** Names whose register form uses a character outside JIS X 0208, written with a substitute
 *  (代替文字) in the certificate: the flagged position is the substituted character. */
const SUBSTITUTED: readonly (readonly [string, string])[] = [
  ['髙橋', '1000'],
  ['𠮷田', '1000'],
  ['山﨑', '0100'],
  ['德永', '1000'],
];
const PLACES: readonly (readonly [string, string, string, string])[] = [
  ['東京都', '千代田区', 'Tokyo', 'Chiyoda-ku'],
  ['大阪府', '大阪市北区', 'Osaka', 'Osaka-shi Kita-ku'],
  ['北海道', '札幌市中央区', 'Hokkaido', 'Sapporo-shi Chuo-ku'],
  ['福岡県', '福岡市博多区', 'Fukuoka', 'Fukuoka-shi Hakata-ku'],
  ['愛知県', '名古屋市中区', 'Aichi', 'Nagoya-shi Naka-ku'],
  ['宮城県', '仙台市青葉区', 'Miyagi', 'Sendai-shi Aoba-ku'],
  ['沖縄県', '那覇市', 'Okinawa', 'Naha-shi'],
  ['京都府', '京都市左京区', 'Kyoto', 'Kyoto-shi Sakyo-ku'],
];
const TOWNS = ['霞が関', '本町', '中央', '栄', '青葉', '梅田', '天神', '大通西'];

export interface Person {
  readonly name: string;
  readonly nameFlags: string;
  readonly gender: '1' | '2' | '9';
  readonly birthDate: string; // EYYYYMMDD
  readonly birthIso: string;
  readonly address: string;
  readonly addressFlags: string;
  readonly locality: readonly [string, string]; // romaji prefecture, city
  readonly partition: string; // CRL partition (municipality code)
}

const pick = <T>(r: () => number, a: readonly T[]): T => a[Math.floor(r() * a.length)];
const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** One synthetic holder. About 1 in 20 has a substitute character in the name. */
export function person(r: () => number, now: number): Person {
  const substituted = r() < 0.05;
  const [surname, surnameFlags] = substituted ? pick(r, SUBSTITUTED) : [pick(r, SURNAMES), ''];
  const given = pick(r, GIVEN);
  const name = `${surname}　${given}`;
  const chars = [...name].length;
  const nameFlags = substituted ? (surnameFlags.slice(0, [...surname].length) + '0'.repeat(chars)).slice(0, chars) : '0'.repeat(chars);
  const [pref, city, prefR, cityR] = pick(r, PLACES);
  const address = `${pref}${city}${pick(r, TOWNS)}${1 + Math.floor(r() * 9)}丁目${1 + Math.floor(r() * 30)}番${1 + Math.floor(r() * 20)}号`;
  // Holders aged 16 to 90 at `now`.
  const ageDays = Math.floor((16 + r() * 74) * 365.25);
  const birth = new Date(now - ageDays * 86_400_000);
  const birthIso = birth.toISOString().slice(0, 10);
  const era = eraOf(birthIso);
  const g = r();
  return {
    name,
    nameFlags,
    gender: g < 0.49 ? '1' : g < 0.98 ? '2' : '9',
    birthDate: `${era}${birthIso.replaceAll('-', '')}`,
    birthIso,
    address,
    addressFlags: '0'.repeat([...address].length),
    locality: [prefR, cityR],
    partition: `${pad(1 + PLACES.findIndex((p) => p[0] === pref), 2)}${pad(100 + Math.floor(r() * 20), 3)}`,
  };
}

/** The SAN otherName fields of a holder, in the order J-LIS writes them. */
export function basicInfoFields(p: Person): [string, string][] {
  return [
    [JPKI.name, p.name],
    [JPKI.nameSubstitutes, p.nameFlags],
    [JPKI.gender, p.gender],
    [JPKI.birthDate, p.birthDate],
    [JPKI.address, p.address],
    [JPKI.addressSubstitutes, p.addressFlags],
  ];
}

/** Until the 5th birthday after issue (the JPKI rule for signing and auth certificates). */
export function fifthBirthdayAfter(issued: number, birthIso: string): number {
  return birthdayAfter(issued, birthIso, 5);
}

/** Until the `years`-th birthday after issue, 23:59:59 JST: 5 on today's cards, 10 on the
 *  next-generation card (announced 2024; assumed to follow the same birthday rule). */
export function birthdayAfter(issued: number, birthIso: string, years: number): number {
  const issuedDate = new Date(issued);
  const [, m, d] = birthIso.split('-').map(Number);
  let year = issuedDate.getUTCFullYear() + years;
  let t = Date.UTC(year, m - 1, d, 14, 59, 59); // 23:59:59 JST
  // If this year's birthday has not come yet at issue, the n-th is one year earlier.
  if (Date.UTC(issuedDate.getUTCFullYear(), m - 1, d) > issued) t = Date.UTC(--year, m - 1, d, 14, 59, 59);
  return t;
}
