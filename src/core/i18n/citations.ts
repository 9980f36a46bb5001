// Legal-basis strings and rule references are written once, in the short form lawyers cite
// ("85/2016/NĐ-CP Arts. 12–20", "12/2022/TT-BTTTT Form 06"); these are the words around the numbers,
// in the reader's language ("Điều 12–20", "Mẫu số 06"). Document numbers themselves never change.

import type { Lang } from '../types.js';

interface CitationWord {
  re: RegExp;
  vi: string;
}

const WORDS: CitationWord[] = [
  { re: /\bArts?\.\s*/g, vi: 'Điều ' },
  { re: /\bForms?\s+(?=\d)/g, vi: 'Mẫu số ' },
  { re: /\(in force (\d{2}\/\d{2}\/\d{4})\)/g, vi: '(có hiệu lực từ $1)' },
  { re: /\(former\)/g, vi: '(đã được thay thế)' },
  { re: /\(transition\)/g, vi: '(quy định chuyển tiếp)' },
  { re: /\(systems under Decree 85, until the transition ends\)/g, vi: '(hệ thống theo Nghị định 85, đến hết thời gian chuyển tiếp)' },
  { re: /\(every other system\)/g, vi: '(các hệ thống khác)' },
  { re: /\binternet\.nl name servers IPv6\b/g, vi: 'internet.nl: IPv6 của máy chủ tên miền' },
  { re: /\binternet\.nl mail IPv6\b/g, vi: 'internet.nl: IPv6 của máy chủ thư' },
  { re: /\binternet\.nl web IPv6\b/g, vi: 'internet.nl: IPv6 của trang web' },
  { re: /\binternet\.nl HSTS test\b/g, vi: 'internet.nl: phép kiểm tra HSTS' },
  { re: /\binternet\.nl TLS test\b/g, vi: 'internet.nl: phép kiểm tra TLS' },
  // NCSC-NL is the Dutch National Cyber Security Centre, not Vietnam's NCSC: the name says whose.
  { re: /\bNCSC-NL TLS guidelines\b/g, vi: 'Hướng dẫn TLS của NCSC-NL (Hà Lan)' },
  { re: /\bMozilla Server Side TLS\b/g, vi: 'Hướng dẫn cấu hình TLS máy chủ của Mozilla, phiên bản' },
  { re: /\bappendix\b/g, vi: 'phụ lục' },
  { re: /\bIANA TLS Supported Groups registry\b/g, vi: 'danh mục nhóm trao đổi khóa TLS của IANA' },
  // "§1.o" of a directive is its item (mục); of an RFC or standard, its section (mục) too.
  { re: /§\s*/g, vi: 'mục ' },
];

/** One citation in the reader's language. */
export function citationText(citation: string, lang: Lang): string {
  if (lang === 'en') return citation;
  let text = citation;
  for (const { re, vi } of WORDS) text = text.replace(re, vi);
  return text;
}
