/**
 * Where a phone number is, as far as its digits tell: the country (from the E.164 calling code) and, in the
 * North American Numbering Plan, the area code's region. Each maps to the IANA zones it may be in; several
 * zones mean the digits cannot tell which, and the guardrails then keep a message inside the quiet hours of
 * every one of them (see time-zone.ts). Written for Waymark from public numbering-plan facts; an area code
 * that spans a zone line lists both zones. Countries not listed fall through to the locale.
 */

export interface PhoneRegion {
  /** ISO 3166-1 alpha-2, e.g. "US", "KR". */
  country: string;
  /** What the digits said, for the why: "area code 415 (California)". */
  label: string;
  zones: readonly string[];
}

const ET = "America/New_York";
const CT = "America/Chicago";
const MT = "America/Denver";
const PT = "America/Los_Angeles";

/** NANP area codes by where they ring: [country, label, zones, codes]. */
const NANP: readonly (readonly [string, string, readonly string[], string])[] = [
  ["US", "Alabama", [CT], "205 251 256 334 483 659 938"],
  ["US", "Alaska", ["America/Anchorage"], "907"],
  ["US", "Arizona", ["America/Phoenix"], "480 520 602 623 928"],
  ["US", "Arkansas", [CT], "327 479 501 870"],
  [
    "US",
    "California",
    [PT],
    "209 213 279 310 323 341 350 369 408 415 424 442 510 530 559 562 619 626 628 650 657 661 669 707 714 747 760 805 818 820 831 840 858 909 916 925 949 951",
  ],
  ["US", "Colorado", [MT], "303 719 720 970 983"],
  ["US", "Connecticut", [ET], "203 475 860 959"],
  ["US", "Delaware", [ET], "302"],
  ["US", "District of Columbia", [ET], "202 771"],
  [
    "US",
    "Florida",
    [ET],
    "239 305 321 324 352 386 407 561 645 656 689 727 728 754 772 786 813 863 904 941 954",
  ],
  ["US", "the Florida panhandle", [ET, CT], "448 850"],
  ["US", "Georgia", [ET], "229 404 470 478 678 706 762 770 912 943"],
  ["US", "Hawaii", ["Pacific/Honolulu"], "808"],
  ["US", "Idaho", ["America/Boise", PT], "208 986"],
  ["US", "Illinois", [CT], "217 224 309 312 331 447 464 618 630 708 730 773 779 815 847 861 872"],
  ["US", "Indiana", ["America/Indiana/Indianapolis"], "260 317 463 574 765"],
  ["US", "Indiana", ["America/Indiana/Indianapolis", CT], "219 812 930"],
  ["US", "Iowa", [CT], "319 515 563 641 712"],
  ["US", "Kansas", [CT], "316 913"],
  ["US", "Kansas", [CT, MT], "620 785"],
  ["US", "Kentucky", [ET], "502 606 859"],
  ["US", "Kentucky", [CT, ET], "270 364"],
  ["US", "Louisiana", [CT], "225 318 337 504 985"],
  ["US", "Maine", [ET], "207"],
  ["US", "Maryland", [ET], "227 240 301 410 443 667"],
  ["US", "Massachusetts", [ET], "339 351 413 508 617 774 781 857 978"],
  ["US", "Michigan", ["America/Detroit"], "231 248 269 313 517 586 616 679 734 810 947 989"],
  ["US", "Michigan's Upper Peninsula", ["America/Detroit", "America/Menominee"], "906"],
  ["US", "Minnesota", [CT], "218 320 507 612 651 763 924 952"],
  ["US", "Mississippi", [CT], "228 601 662 769"],
  ["US", "Missouri", [CT], "235 314 417 557 573 636 660 816 975"],
  ["US", "Montana", [MT], "406"],
  ["US", "Nebraska", [CT], "402 531"],
  ["US", "Nebraska", [CT, MT], "308"],
  ["US", "Nevada", [PT], "702 725 775"],
  ["US", "New Hampshire", [ET], "603"],
  ["US", "New Jersey", [ET], "201 551 609 640 732 848 856 862 908 973"],
  ["US", "New Mexico", [MT], "505 575"],
  [
    "US",
    "New York",
    [ET],
    "212 315 332 347 363 516 518 585 607 624 631 646 680 716 718 838 845 914 917 929 934",
  ],
  ["US", "North Carolina", [ET], "252 336 472 704 743 828 910 919 980 984"],
  ["US", "North Dakota", [CT, MT], "701"],
  ["US", "Ohio", [ET], "216 220 234 283 326 330 380 419 436 440 513 567 614 740 937"],
  ["US", "Oklahoma", [CT], "405 539 572 580 918"],
  ["US", "Oregon", [PT], "458 503 971"],
  ["US", "Oregon", [PT, "America/Boise"], "541"],
  ["US", "Pennsylvania", [ET], "215 223 267 272 412 445 484 570 582 610 717 724 814 835 878"],
  ["US", "Rhode Island", [ET], "401"],
  ["US", "South Carolina", [ET], "803 839 843 854 864"],
  ["US", "South Dakota", [CT, MT], "605"],
  ["US", "Tennessee", [CT], "615 629 731 901"],
  ["US", "Tennessee", [ET], "865"],
  ["US", "Tennessee", [ET, CT], "423 931"],
  [
    "US",
    "Texas",
    [CT],
    "210 214 254 281 325 346 361 409 430 469 512 682 713 726 737 806 817 830 832 903 936 940 945 956 972 979",
  ],
  ["US", "West Texas", [CT, MT], "432"],
  ["US", "El Paso", [MT], "915"],
  ["US", "Utah", [MT], "385 435 801"],
  ["US", "Vermont", [ET], "802"],
  ["US", "Virginia", [ET], "276 434 540 571 686 703 757 804 826 948"],
  ["US", "Washington", [PT], "206 253 360 425 509 564"],
  ["US", "West Virginia", [ET], "304 681"],
  ["US", "Wisconsin", [CT], "262 274 353 414 534 608 715 920"],
  ["US", "Wyoming", [MT], "307"],
  ["PR", "Puerto Rico", ["America/Puerto_Rico"], "787 939"],
  ["VI", "the U.S. Virgin Islands", ["America/St_Thomas"], "340"],
  ["GU", "Guam", ["Pacific/Guam"], "671"],
  ["MP", "the Northern Mariana Islands", ["Pacific/Saipan"], "670"],
  ["AS", "American Samoa", ["Pacific/Pago_Pago"], "684"],
  ["CA", "British Columbia", ["America/Vancouver"], "236 604 672 778"],
  ["CA", "British Columbia", ["America/Vancouver", "America/Edmonton"], "250"],
  ["CA", "Alberta", ["America/Edmonton"], "368 403 587 780 825"],
  ["CA", "Saskatchewan", ["America/Regina"], "306 474 639"],
  ["CA", "Manitoba", ["America/Winnipeg"], "204 431 584"],
  [
    "CA",
    "Ontario",
    ["America/Toronto"],
    "226 249 289 343 365 382 416 437 519 548 613 647 683 705 742 753 905",
  ],
  ["CA", "Northwestern Ontario", ["America/Toronto", "America/Winnipeg"], "807"],
  ["CA", "Quebec", ["America/Toronto"], "263 354 367 418 438 450 468 514 579 581 819 873"],
  ["CA", "New Brunswick", ["America/Moncton"], "428 506"],
  ["CA", "Nova Scotia and Prince Edward Island", ["America/Halifax"], "782 902"],
  ["CA", "Newfoundland and Labrador", ["America/St_Johns"], "709 879"],
  ["CA", "the northern territories", ["America/Whitehorse", "America/Edmonton", "America/Iqaluit"], "867"],
  ["BS", "the Bahamas", ["America/Nassau"], "242"],
  ["BB", "Barbados", ["America/Barbados"], "246"],
  ["AI", "Anguilla", ["America/Anguilla"], "264"],
  ["AG", "Antigua and Barbuda", ["America/Antigua"], "268"],
  ["VG", "the British Virgin Islands", ["America/Tortola"], "284"],
  ["KY", "the Cayman Islands", ["America/Cayman"], "345"],
  ["BM", "Bermuda", ["Atlantic/Bermuda"], "441"],
  ["GD", "Grenada", ["America/Grenada"], "473"],
  ["TC", "the Turks and Caicos Islands", ["America/Grand_Turk"], "649"],
  ["JM", "Jamaica", ["America/Jamaica"], "658 876"],
  ["MS", "Montserrat", ["America/Montserrat"], "664"],
  ["SX", "Sint Maarten", ["America/Lower_Princes"], "721"],
  ["LC", "Saint Lucia", ["America/St_Lucia"], "758"],
  ["DM", "Dominica", ["America/Dominica"], "767"],
  ["VC", "Saint Vincent and the Grenadines", ["America/St_Vincent"], "784"],
  ["DO", "the Dominican Republic", ["America/Santo_Domingo"], "809 829 849"],
  ["TT", "Trinidad and Tobago", ["America/Port_of_Spain"], "868"],
  ["KN", "Saint Kitts and Nevis", ["America/St_Kitts"], "869"],
];

const areaCodes = new Map<string, PhoneRegion>();
for (const [country, label, zones, codes] of NANP) {
  for (const code of codes.split(" "))
    areaCodes.set(code, { country, label: `area code ${code} (${label})`, zones });
}

/** Calling codes outside the NANP: [code, country, zones]. */
const COUNTRIES: readonly (readonly [string, string, readonly string[]])[] = [
  ["20", "EG", ["Africa/Cairo"]],
  ["27", "ZA", ["Africa/Johannesburg"]],
  ["30", "GR", ["Europe/Athens"]],
  ["31", "NL", ["Europe/Amsterdam"]],
  ["32", "BE", ["Europe/Brussels"]],
  ["33", "FR", ["Europe/Paris"]],
  ["34", "ES", ["Europe/Madrid", "Atlantic/Canary"]],
  ["36", "HU", ["Europe/Budapest"]],
  ["39", "IT", ["Europe/Rome"]],
  ["40", "RO", ["Europe/Bucharest"]],
  ["41", "CH", ["Europe/Zurich"]],
  ["43", "AT", ["Europe/Vienna"]],
  ["44", "GB", ["Europe/London"]],
  ["45", "DK", ["Europe/Copenhagen"]],
  ["46", "SE", ["Europe/Stockholm"]],
  ["47", "NO", ["Europe/Oslo"]],
  ["48", "PL", ["Europe/Warsaw"]],
  ["49", "DE", ["Europe/Berlin"]],
  ["51", "PE", ["America/Lima"]],
  ["52", "MX", ["America/Mexico_City", "America/Cancun", "America/Hermosillo", "America/Tijuana"]],
  ["54", "AR", ["America/Argentina/Buenos_Aires"]],
  ["55", "BR", ["America/Sao_Paulo", "America/Manaus", "America/Rio_Branco"]],
  ["56", "CL", ["America/Santiago"]],
  ["57", "CO", ["America/Bogota"]],
  ["58", "VE", ["America/Caracas"]],
  ["60", "MY", ["Asia/Kuala_Lumpur"]],
  [
    "61",
    "AU",
    ["Australia/Perth", "Australia/Darwin", "Australia/Adelaide", "Australia/Brisbane", "Australia/Sydney"],
  ],
  ["62", "ID", ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]],
  ["63", "PH", ["Asia/Manila"]],
  ["64", "NZ", ["Pacific/Auckland"]],
  ["65", "SG", ["Asia/Singapore"]],
  ["66", "TH", ["Asia/Bangkok"]],
  ["81", "JP", ["Asia/Tokyo"]],
  ["82", "KR", ["Asia/Seoul"]],
  ["84", "VN", ["Asia/Ho_Chi_Minh"]],
  ["86", "CN", ["Asia/Shanghai"]],
  ["90", "TR", ["Europe/Istanbul"]],
  ["91", "IN", ["Asia/Kolkata"]],
  ["92", "PK", ["Asia/Karachi"]],
  ["94", "LK", ["Asia/Colombo"]],
  ["234", "NG", ["Africa/Lagos"]],
  ["254", "KE", ["Africa/Nairobi"]],
  ["351", "PT", ["Europe/Lisbon", "Atlantic/Azores"]],
  ["352", "LU", ["Europe/Luxembourg"]],
  ["353", "IE", ["Europe/Dublin"]],
  ["354", "IS", ["Atlantic/Reykjavik"]],
  ["358", "FI", ["Europe/Helsinki"]],
  ["420", "CZ", ["Europe/Prague"]],
  ["852", "HK", ["Asia/Hong_Kong"]],
  ["853", "MO", ["Asia/Macau"]],
  ["886", "TW", ["Asia/Taipei"]],
  ["966", "SA", ["Asia/Riyadh"]],
  ["971", "AE", ["Asia/Dubai"]],
  ["972", "IL", ["Asia/Jerusalem"]],
];

const callingCodes = new Map(COUNTRIES.map(([code, country, zones]) => [code, { country, zones }]));
const zonesByCountry = new Map(COUNTRIES.map(([, country, zones]) => [country, zones]));
/** Multi-zone countries a locale may name: the contiguous zones only (a locale says nothing of Alaska). */
zonesByCountry.set("US", [ET, CT, MT, PT]);
zonesByCountry.set("CA", [
  "America/Halifax",
  "America/Toronto",
  "America/Winnipeg",
  "America/Edmonton",
  "America/Vancouver",
]);
zonesByCountry.set("PR", ["America/Puerto_Rico"]);

/** Where the number rings, when its digits tell; undefined for a number that is not E.164 or not known. */
export function phoneRegion(phone: string | undefined): PhoneRegion | undefined {
  if (!phone || !/^\+[1-9]\d{6,14}$/.test(phone)) return undefined;
  const digits = phone.slice(1);
  if (digits.startsWith("1")) return areaCodes.get(digits.slice(1, 4));
  // Calling codes are prefix-free: at most one of the 1-, 2- and 3-digit prefixes is a code.
  for (const length of [1, 2, 3]) {
    const code = digits.slice(0, length);
    const known = callingCodes.get(code);
    if (known) return { ...known, label: `calling code +${code} (${known.country})` };
  }
  return undefined;
}

/** The zones a country's customers may be in, when the country is in the table. */
export function countryZones(country: string): readonly string[] | undefined {
  return zonesByCountry.get(country);
}
