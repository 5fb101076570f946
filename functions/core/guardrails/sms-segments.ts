/**
 * SMS segment counting as carriers bill it: GSM 03.38 text fits 160 characters in one
 * segment and 153 per segment when concatenated; anything else (Korean included) is UCS-2 at
 * 70 and 67. Extension-table characters cost two GSM septets.
 */
const gsmBasic = new Set(
  "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà",
);
const gsmExtension = new Set("^{}\\[~]|€\f");

export interface SmsEncoding {
  encoding: "GSM-7" | "UCS-2";
  units: number;
  segments: number;
}

export function countSmsSegments(text: string): SmsEncoding {
  let septets = 0;
  let gsm = true;
  for (const char of text) {
    if (gsmBasic.has(char)) septets += 1;
    else if (gsmExtension.has(char)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) {
    return { encoding: "GSM-7", units: septets, segments: septets <= 160 ? 1 : Math.ceil(septets / 153) };
  }
  // UCS-2 counts UTF-16 code units: an emoji outside the BMP takes two.
  const units = text.length;
  return { encoding: "UCS-2", units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}
