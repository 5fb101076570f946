/**
 * Realistic template vars for the reference templates' `samples`: `defineCatalog` renders every locale's
 * SMS with each and refuses a template that runs over its segment budget. Long on purpose — the longest
 * names and product names customers really have (after safe-vars: text over 200 characters or with a link
 * never reaches a template), and Korean text in an English message, which turns the whole SMS into UCS-2.
 */
export const sampleNames = {
  short: "Jane",
  long: "Maximilian Alexander Featherstonehaugh-Smythe",
  korean: "남궁민수",
} as const;

export const sampleProducts = {
  one: ["Galaxy S26"],
  longEnglish: ["Galaxy S26 Ultra 512GB Titanium Silverblue", "Galaxy Buds3 Pro", "25W Travel Adapter"],
  longKorean: ["갤럭시 S26 울트라 512GB 티타늄 실버블루", "갤럭시 버즈3 프로"],
} as const;
